// compose.js: "Sett inn" puts the chosen canned response (svarmal) into the reply at the
// cursor at once, without a round trip. Without JavaScript the same button posts the form
// and the server adds the text; this file only makes it faster.
(function () {
  "use strict";
  document.querySelectorAll("[data-canned-form]").forEach(function (form) {
    var select = form.querySelector("select[name=mal]");
    var button = form.querySelector("[data-insert-canned]");
    var text = form.querySelector("textarea[name=text]");
    var status = form.querySelector("[data-canned-status]");
    if (!select || !button || !text) {
      return;
    }
    var caretKnown = false; // until the writer has been in the text, add at the end
    text.addEventListener("focus", function () { caretKnown = true; });
    button.addEventListener("click", function (event) {
      var option = select.options[select.selectedIndex];
      if (!option || !option.value) {
        return; // let the server say that a template must be chosen
      }
      event.preventDefault();
      var insert = option.getAttribute("data-text") || "";
      var start = caretKnown ? text.selectionStart : text.value.length;
      var end = caretKnown ? text.selectionEnd : text.value.length;
      var before = text.value.slice(0, start), after = text.value.slice(end);
      if (before && !/\n\n$/.test(before)) {
        before = before.replace(/\s*$/, "") + "\n\n";
      }
      text.value = before + insert + after;
      var caret = before.length + insert.length;
      text.focus();
      text.setSelectionRange(caret, caret);
      if (status) {
        status.textContent = "Svarmalen «" + option.text + "» er satt inn. Les gjennom og tilpass før du sender.";
      }
    });
  });
})();
