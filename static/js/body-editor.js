// The catalog body editor: a small, self-hosted WYSIWYG view of the body <textarea>.
// Progressive enhancement — without JavaScript the textarea works as before (blank lines
// make paragraphs). No third-party code, nothing loaded from elsewhere (the CSP allows
// 'self' only). The stored HTML is always the server's sanitize_body() of what is sent:
// pasted content goes through the same sanitiser first (POST data-sanitize-url), so what
// the clerk sees after pasting from Word is what will be kept.
(function () {
  "use strict";
  var script = document.currentScript;
  var sanitizeUrl = script ? script.getAttribute("data-sanitize-url") : "";
  var BLOCKS = "P,H2,H3,H4,LI,TD,TH";
  var ALIGN = { left: "", center: "align-center", right: "align-right" };

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function plainToHtml(text) {
    return text.replace(/\r\n/g, "\n").split(/\n[ \t\u3000]*\n/).filter(function (p) {
      return p.trim();
    }).map(function (p) {
      return "<p>" + p.split("\n").map(escapeHtml).join("<br>") + "</p>";
    }).join("");
  }

  function currentBlock(editor) {
    var sel = window.getSelection();
    if (!sel.rangeCount) { return null; }
    var node = sel.getRangeAt(0).startContainer;
    while (node && node !== editor) {
      if (node.nodeType === 1 && BLOCKS.indexOf(node.nodeName) !== -1) { return node; }
      node = node.parentNode;
    }
    return null;
  }

  function enhance(textarea) {
    var form = textarea.form;
    var csrf = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    var toolbar = document.createElement("div");
    toolbar.className = "rich-toolbar";
    toolbar.setAttribute("role", "toolbar");
    toolbar.setAttribute("aria-label", "正文编辑工具");
    var editor = document.createElement("div");
    editor.className = "rich-editor doc-body";
    editor.contentEditable = "true";
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    var label = textarea.id ? document.querySelector("label[for='" + textarea.id + "']") : null;
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      editor.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.focus(); });
    }
    var raw = textarea.value.trim();
    editor.innerHTML = raw && !/<[A-Za-z!\/]/.test(raw) ? plainToHtml(raw) : raw;
    if (!editor.innerHTML) { editor.innerHTML = "<p><br></p>"; }

    function sync() { textarea.value = editor.innerHTML; }
    function command(name, value) {
      editor.focus();
      document.execCommand(name, false, value === undefined ? null : value);
      sync();
    }
    function align(where) {
      editor.focus();
      var block = currentBlock(editor);
      if (!block) { command("formatBlock", "<p>"); block = currentBlock(editor); }
      if (!block) { return; }
      block.classList.remove("align-center", "align-right");
      block.removeAttribute("style");
      if (ALIGN[where]) { block.classList.add(ALIGN[where]); }
      sync();
    }
    function topBlock() {
      var sel = window.getSelection();
      if (!sel.rangeCount) { return null; }
      var node = sel.getRangeAt(0).startContainer;
      while (node && node.parentNode !== editor) { node = node.parentNode; }
      return node && node.parentNode === editor ? node : null;
    }
    // Pasted paragraphs stay paragraphs (execCommand would merge the first one, and its
    // alignment, into the paragraph at the caret): an empty paragraph at the caret is
    // replaced, otherwise the blocks go after the caret's paragraph.
    function insertPasted(html) {
      var tpl = document.createElement("template");
      tpl.innerHTML = html;
      if (!tpl.content.querySelector("p,h2,h3,h4,ul,ol,table")) { command("insertHTML", html); return; }
      var block = topBlock();
      var nodes = Array.prototype.slice.call(tpl.content.childNodes);
      if (!nodes.length) { return; }
      if (block && !block.textContent.trim() && !block.querySelector("table")) { block.replaceWith.apply(block, nodes); }
      else if (block) { block.after.apply(block, nodes); }
      else { nodes.forEach(function (n) { editor.appendChild(n); }); }
      var last = nodes[nodes.length - 1];
      var range = document.createRange();
      range.selectNodeContents(last);
      range.collapse(false);
      var sel = window.getSelection();
      sel.removeAllRanges();
      sel.addRange(range);
      sync();
    }
    function insertTable() {
      var cells = "<td><br></td><td><br></td><td><br></td>";
      command("insertHTML", "<table><tbody><tr>" + cells + "</tr><tr>" + cells + "</tr></tbody></table><p><br></p>");
    }
    var source = false;
    var buttons = [
      ["正文", "段落", function () { command("formatBlock", "<p>"); }],
      ["标题", "一级标题", function () { command("formatBlock", "<h2>"); }],
      ["小标题", "二级标题", function () { command("formatBlock", "<h3>"); }],
      ["B", "加粗", function () { command("bold"); }],
      ["I", "倾斜", function () { command("italic"); }],
      ["U", "下划线", function () { command("underline"); }],
      ["• 列表", "项目符号列表", function () { command("insertUnorderedList"); }],
      ["1. 编号", "编号列表", function () { command("insertOrderedList"); }],
      ["左", "左对齐", function () { align("left"); }],
      ["中", "居中", function () { align("center"); }],
      ["右", "右对齐（落款）", function () { align("right"); }],
      ["表格", "插入表格（3列2行）", insertTable],
      ["清除格式", "清除选中文字的格式", function () { command("removeFormat"); }],
      ["撤销", "撤销", function () { command("undo"); }],
      ["重做", "重做", function () { command("redo"); }],
      ["HTML", "查看或修改HTML源代码", function (btn) {
        source = !source;
        if (source) { sync(); }
        else { editor.innerHTML = textarea.value; }
        textarea.hidden = !source;
        editor.hidden = source;
        btn.setAttribute("aria-pressed", source ? "true" : "false");
      }]
    ];
    buttons.forEach(function (spec) {
      var btn = document.createElement("button");
      btn.type = "button";
      btn.textContent = spec[0];
      btn.title = spec[1];
      btn.setAttribute("aria-label", spec[1]);
      btn.addEventListener("mousedown", function (ev) { ev.preventDefault(); });  // keep the selection
      btn.addEventListener("click", function () { spec[2](btn); });
      toolbar.appendChild(btn);
    });
    toolbar.lastChild.setAttribute("aria-pressed", "false");

    editor.addEventListener("input", sync);
    editor.addEventListener("blur", sync);
    editor.addEventListener("paste", function (ev) {
      var data = ev.clipboardData;
      if (!data) { return; }
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      ev.preventDefault();
      if (!html || !sanitizeUrl || !csrf) {
        insertPasted(plainToHtml(text || ""));
        return;
      }
      var body = new URLSearchParams();
      body.append("html", html);
      fetch(sanitizeUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf.value }
      }).then(function (r) { return r.json(); }).then(function (result) {
        if (result.html !== undefined) { insertPasted(result.html); }
        else { window.alert(result.error || "粘贴失败"); }
      }).catch(function () { insertPasted(plainToHtml(text || "")); });
    });
    if (form) { form.addEventListener("submit", function () { if (!source) { sync(); } }); }
    textarea.hidden = true;
    textarea.parentNode.insertBefore(toolbar, textarea);
    textarea.parentNode.insertBefore(editor, textarea);
    document.execCommand("styleWithCSS", false, false);
    document.execCommand("defaultParagraphSeparator", false, "p");
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[data-rich-editor]").forEach(enhance);
  });
})();
