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

// Drafts: while someone writes, the reply form is saved on the server every few seconds
// (POST data-draft-url, answered with JSON), so it survives a closed tab and colleagues see
// that a reply is on its way. Files are saved with «Lagre utkast», «Forhåndsvis» or a refused
// send; this only keeps the text, the copies and the choices.
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-url]");
  if (!form || !window.fetch || !window.URLSearchParams) {
    return;
  }
  var status = form.querySelector("[data-draft-status]");
  var timer = null, last = null, saving = false;
  function fields() {
    var p = new URLSearchParams();
    ["csrf", "text", "kopi"].forEach(function (name) {
      var el = form.elements.namedItem(name);
      if (el && el.value !== undefined) {
        p.set(name, el.value);
      }
    });
    var st = form.querySelector("input[name=status]:checked");
    if (st) {
      p.set("status", st.value);
    }
    var me = form.querySelector("input[name=tildel-meg]");
    if (me && me.checked) {
      p.set("tildel-meg", "ja");
    }
    return p;
  }
  function save() {
    timer = null;
    var body = fields();
    var text = body.toString();
    if (text === last || saving) {
      return;
    }
    saving = true;
    fetch(form.getAttribute("data-draft-url"), {
      method: "POST", credentials: "same-origin", body: body,
      headers: {"Accept": "application/json"}
    }).then(function (r) {
      return r.json().then(function (v) { return {ok: r.ok, v: v}; });
    }).then(function (res) {
      saving = false;
      if (res.ok) {
        last = text;
      }
      if (status) {
        status.textContent = res.ok ? res.v.saved : "Utkastet ble ikke lagret: " + res.v.error;
      }
    }).catch(function () {
      saving = false;
      if (status) {
        status.textContent = "Utkastet ble ikke lagret (ingen forbindelse). Teksten står fortsatt her.";
      }
    });
  }
  last = fields().toString(); // what the page came with is saved already
  form.addEventListener("input", function () {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, 3000);
  });
  form.addEventListener("change", function () {
    if (timer) {
      window.clearTimeout(timer);
    }
    timer = window.setTimeout(save, 3000);
  });
  form.addEventListener("submit", function () {
    if (timer) {
      window.clearTimeout(timer);
      timer = null;
    }
    saving = true; // the form itself goes now; no late autosave after it
  });
})();
