// Progressive help for the public forms. Everything works without it: the server validates,
// and the "find my municipality" button does what the lookup below does as one types.
(function () {
  'use strict';
  document.documentElement.classList.add('js');

  // After a submit with errors, move focus to the summary so it is read out first.
  var summary = document.querySelector('.error-summary');
  if (summary) { summary.focus(); }

  var email = document.getElementById('epost');
  var select = document.getElementById('kommune');
  var status = document.getElementById('kommune-status');
  if (!email || !select || !status || !window.fetch) { return; }

  // Fill the municipality from the mail domain until the person picks one themselves.
  var auto = select.value === '';
  select.addEventListener('change', function () { auto = false; });
  var timer = null;
  var last = '';

  function lookup() {
    var value = email.value.trim();
    var at = value.lastIndexOf('@');
    var domain = at < 0 ? '' : value.slice(at + 1).toLowerCase();
    if (domain === last || domain.indexOf('.') < 1) { return; }
    last = domain;
    fetch('/skjema/kommune?domene=' + encodeURIComponent(domain), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (place) {
        if (!place || !place.number || !auto) { return; }
        select.value = place.number;
        status.textContent = 'Kommunen er fylt inn ut fra e-postadressen: ' + place.name + '. Endre den hvis den er feil.';
      })
      .catch(function () { /* the button and the server still do the job */ });
  }

  email.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(lookup, 350);
  });
  email.addEventListener('change', lookup);
}());

// «Kanskje dette svarer på spørsmålet?»: the handbook's articles like the question, as it is
// typed. Without the script the server shows them as a step after «Send»; once they were
// shown here, forslag_vist tells it not to.
(function () {
  'use strict';
  var question = document.getElementById('sporsmal');
  var box = document.getElementById('forslag');
  var seen = document.getElementById('forslag_vist');
  if (!question || !box || !seen || !window.fetch) { return; }
  var list = box.querySelector('ul');
  var timer = null;
  var last = '';

  function show(articles) {
    while (list.firstChild) { list.removeChild(list.firstChild); }
    articles.forEach(function (a) {
      var li = document.createElement('li');
      var link = document.createElement('a');
      link.href = a.url;
      link.textContent = a.title;
      var excerpt = document.createElement('p');
      excerpt.className = 'small';
      excerpt.textContent = a.excerpt;
      li.appendChild(link);
      li.appendChild(excerpt);
      list.appendChild(li);
    });
    box.hidden = articles.length === 0;
    if (articles.length > 0) { seen.value = '1'; }
  }

  function suggest() {
    var text = question.value.trim();
    if (text === last || text.length < 12) { return; }
    last = text;
    fetch('/handbok/forslag?tekst=' + encodeURIComponent(text.slice(0, 2000)), { headers: { Accept: 'application/json' } })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (res) { if (res && res.articles && question.value.trim() === last) { show(res.articles); } })
      .catch(function () { /* the step after «Send» still offers them */ });
  }

  question.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(suggest, 600);
  });
}());
