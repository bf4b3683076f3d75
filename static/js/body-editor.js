// The catalog body editor: Jodit (MIT, vendored under static/vendor/ by tools/vendor-editor.sh)
// on every <textarea data-rich-editor>. Progressive enhancement — without JavaScript the
// textarea works as before (blank lines make paragraphs). Nothing is loaded from elsewhere
// (the CSP allows 'self' only): no CDN source editor, no image upload, no base64 images.
// The stored HTML is always the server's sanitize_body() of what is posted; pasted content
// goes through the same sanitiser first (POST data-sanitize-url, which also reduces Word's
// clipboard HTML), so what the clerk sees after pasting from Word is what will be kept.
(function () {
  "use strict";
  var script = document.currentScript;
  var sanitizeUrl = script ? script.getAttribute("data-sanitize-url") : "";

  function escapeHtml(text) {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  }

  function plainToHtml(text) {
    return text.replace(/\r\n?/g, "\n").split(/\n[ \t\u3000]*\n/).filter(function (p) {
      return p.trim();
    }).map(function (p) {
      return "<p>" + p.split("\n").map(escapeHtml).join("<br>") + "</p>";
    }).join("");
  }

  // Only what sanitize_body keeps: no h1 (the item's title is the page's h1), no fonts,
  // colours, images, video or files (images of a .docx become attachments).
  var BUTTONS = [
    "undo", "redo", "|",
    "paragraph", "bold", "italic", "underline", "strikethrough", "|",
    "ul", "ol", "|",
    "left", "center", "right", "|",
    "table", "link", "|",
    "eraser", "source", "fullsize"
  ];

  function enhance(textarea) {
    var form = textarea.form;
    var csrf = form ? form.querySelector("input[name=csrfmiddlewaretoken]") : null;
    var raw = textarea.value.trim();
    if (raw && !/<[A-Za-z!\/]/.test(raw)) { textarea.value = plainToHtml(raw); }
    var label = textarea.id ? document.querySelector("label[for='" + textarea.id + "']") : null;
    var editor = Jodit.make(textarea, {
      language: "zh_cn",
      buttons: BUTTONS,
      buttonsMD: BUTTONS,
      buttonsSM: BUTTONS,
      buttonsXS: BUTTONS,
      toolbarAdaptive: false,
      toolbarSticky: false,
      minHeight: 320,
      editorClassName: "doc-body",
      enter: "p",
      // no remote code: the source view is a plain textarea, no beautifier, no ace
      sourceEditor: "area",
      beautifyHTML: false,
      // pasting: handled below through the server's sanitiser
      processPasteHTML: false,
      processPasteFromWord: false,
      askBeforePasteHTML: false,
      askBeforePasteFromWord: false,
      // no images in the body: never as base64, never dropped in
      uploader: { insertImageAsBase64URI: false },
      enableDragAndDropFileToEditor: false,
      disablePlugins: [
        "about", "ai-assistant", "image", "image-processor", "image-properties", "file",
        "video", "media", "iframe", "print", "powered-by-jodit", "speech-recognize",
        "spellcheck", "xpath", "stat", "drag-and-drop", "paste-storage"
      ],
      // a new table gets no style="border-collapse…;width:100%" (the CSP refuses it; the
      // stylesheet draws tables so)
      createAttributes: { table: function () {} },
      showCharsCounter: false,
      showWordsCounter: false,
      showXPathInStatusbar: false,
      showPlaceholder: false,  // its element is written with an inline style
      link: { noFollowCheckbox: false, openInNewTabCheckbox: false },
      controls: {
        paragraph: {
          list: { p: "正文", h2: "一级标题", h3: "二级标题", h4: "三级标题", blockquote: "引用" },
          // Jodit's own template writes style="margin:0;padding:0", which the CSP blocks
          childTemplate: function (jodit, key, value) {
            return "<" + key + ' class="jodit-format-sample"><span>' + jodit.i18n(value) +
              "</span></" + key + ">";
          }
        }
      }
    });
    var area = editor.editor;
    area.setAttribute("role", "textbox");
    area.setAttribute("aria-multiline", "true");
    if (label) {
      if (!label.id) { label.id = textarea.id + "-label"; }
      area.setAttribute("aria-labelledby", label.id);
      label.addEventListener("click", function () { editor.s.focus(); });
    }
    editor.container.setAttribute("data-body-editor", textarea.id || "");
    // Jodit marks its list-item wrappers of split buttons (格式块, 表格, lists) aria-pressed,
    // which ARIA allows on buttons only; the inner <button> carries the state.
    function ariaFix() {
      editor.container.querySelectorAll("[role=listitem][aria-pressed]").forEach(function (el) {
        el.removeAttribute("aria-pressed");
      });
    }
    ariaFix();
    new MutationObserver(ariaFix).observe(editor.container, {
      subtree: true, childList: true, attributes: true, attributeFilter: ["aria-pressed"]
    });

    // Alignment as the stored class, at once: Jodit aligns with an inline text-align, and
    // whenever it re-parses HTML (undo, redo, source view) the CSP would refuse that style
    // and the 落款 would show left-aligned. The class is what sanitize_body keeps anyway.
    var ALIGN = { right: "align-right", end: "align-right", center: "align-center" };
    function alignToClass() {
      area.querySelectorAll("[style*='text-align']").forEach(function (el) {
        var cls = ALIGN[el.style.textAlign] || "";
        el.classList.remove("align-right", "align-center");
        if (cls) { el.classList.add(cls); }
        el.style.textAlign = "";
        if (!el.getAttribute("style")) { el.removeAttribute("style"); }
        if (!el.getAttribute("class")) { el.removeAttribute("class"); }
      });
    }
    editor.e.on("afterCommand", function (command) {
      if (/^justify/i.test(command)) { alignToClass(); editor.synchronizeValues(); }
    });
    editor.e.on("change", alignToClass);

    function insert(html) {
      editor.s.restore();
      editor.s.insertHTML(html);
      editor.synchronizeValues();
    }
    editor.e.on("beforePaste", function (ev) {
      var data = ev.clipboardData;
      if (!data) { return; }
      var html = data.getData("text/html");
      var text = data.getData("text/plain");
      editor.s.save();
      if (!html || !sanitizeUrl || !csrf) {
        insert(plainToHtml(text || ""));
        return false;
      }
      var body = new URLSearchParams();
      body.append("html", html);
      fetch(sanitizeUrl, {
        method: "POST", body: body, credentials: "same-origin",
        headers: { "X-CSRFToken": csrf.value }
      }).then(function (r) { return r.json(); }).then(function (result) {
        if (result.html !== undefined) { insert(result.html); }
        else { editor.s.restore(); window.alert(result.error || "粘贴失败"); }
      }).catch(function () { insert(plainToHtml(text || "")); });
      return false;
    });
    if (form) {
      form.addEventListener("submit", function () {
        // from the HTML source view: take the mirror's text back first
        if (editor.getMode() !== Jodit.MODE_WYSIWYG) { editor.setMode(Jodit.MODE_WYSIWYG); }
        editor.synchronizeValues();
      });
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    if (typeof Jodit === "undefined") { return; }  // the vendored file is missing: plain textarea
    document.querySelectorAll("textarea[data-rich-editor]").forEach(enhance);
  });
})();
