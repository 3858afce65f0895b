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
