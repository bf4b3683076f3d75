// Progressive enhancement only: every page works without JavaScript.
document.addEventListener("DOMContentLoaded", function () {
  document.querySelectorAll("[data-confirm]").forEach(function (el) {
    el.addEventListener("click", function (ev) { if (!window.confirm(el.dataset.confirm)) { ev.preventDefault(); } });
  });
});

// 【字体：大 中 小】 on item pages: the body's text size, remembered in this browser.
document.addEventListener("DOMContentLoaded", function () {
  var tool = document.querySelector("[data-font-size]");
  var body = document.querySelector(".doc-body");
  if (!tool || !body) { return; }
  var sizes = ["font-large", "font-small"];
  function apply(size) {
    sizes.forEach(function (s) { body.classList.remove(s); });
    if (size) { body.classList.add(size); }
    tool.querySelectorAll("button").forEach(function (b) {
      b.setAttribute("aria-pressed", b.dataset.size === size ? "true" : "false");
    });
  }
  var saved = "";
  try { saved = window.localStorage.getItem("gongkai-font-size") || ""; } catch (e) { saved = ""; }
  apply(sizes.indexOf(saved) === -1 ? "" : saved);
  tool.hidden = false;
  tool.addEventListener("click", function (ev) {
    var btn = ev.target.closest("button[data-size]");
    if (!btn) { return; }
    apply(btn.dataset.size);
    try { window.localStorage.setItem("gongkai-font-size", btn.dataset.size); } catch (e) { /* private mode */ }
  });
});
