// The inbox: ticking tickets for bulk work (checkboxes, x on the keyboard, «velg alle») and
// the live list. Progressive: without this file the checkboxes still post, and «Oppdater»
// reloads the page.
(function () {
  'use strict';

  var list = document.getElementById('liste');
  if (!list) return;

  function boxes() {
    return Array.prototype.slice.call(list.querySelectorAll('input[name="sak"]'));
  }

  function chosen() {
    return boxes().filter(function (b) { return b.checked; }).length;
  }

  // countChosen shows how many are ticked, opens the bulk actions at the first tick, and keeps
  // «velg alle» honest.
  function countChosen() {
    var n = chosen();
    var count = document.getElementById('antall-valgt');
    if (count) {
      count.hidden = n === 0;
      count.textContent = n + ' valgt';
    }
    var all = document.getElementById('velg-alle');
    if (all) {
      var total = boxes().length;
      all.checked = n > 0 && n === total;
      all.indeterminate = n > 0 && n < total;
    }
    var actions = document.getElementById('endre-valgte');
    if (actions && n > 0 && !actions.dataset.opened) {
      actions.open = true;
      actions.dataset.opened = '1';
    }
    document.body.classList.toggle('has-chosen', n > 0);
  }

  function wire() {
    var all = document.getElementById('velg-alle');
    if (all) {
      all.hidden = false;
      all.addEventListener('change', function () {
        boxes().forEach(function (b) { b.checked = all.checked; });
        countChosen();
      });
    }
    list.addEventListener('change', function (e) {
      if (e.target && e.target.name === 'sak') countChosen();
    });
    countChosen();
  }
  wire();

  // x ticks the selected row (staff.js moves the selection with j/k).
  document.addEventListener('keydown', function (e) {
    if (e.key !== 'x' || e.ctrlKey || e.metaKey || e.altKey) return;
    var tag = e.target && e.target.tagName;
    if (tag === 'INPUT' && e.target.type !== 'checkbox' || tag === 'TEXTAREA' || tag === 'SELECT') return;
    var row = list.querySelector('tr.selected') || (document.activeElement && document.activeElement.closest && document.activeElement.closest('tr'));
    var box = row && row.querySelector('input[name="sak"]');
    if (!box) return;
    box.checked = !box.checked;
    countChosen();
    e.preventDefault();
  });

  // The live list: ask whether anything changed; if so, fetch this page again and swap the
  // views, the count and the list, unless the user is in the middle of something (tickets
  // ticked, focus in the list or the bulk form): then the «Oppdater» link says there is news.
  var refresh = document.getElementById('oppdater');
  var status = document.getElementById('endringer');
  if (!refresh || !refresh.dataset.poll || !window.fetch || !window.DOMParser) return;
  var poll = refresh.dataset.poll;
  var busy = false;

  function inUse() {
    var active = document.activeElement;
    return chosen() > 0 || (active && active !== document.body && list.contains(active));
  }

  function swap(html) {
    var doc = new DOMParser().parseFromString(html, 'text/html');
    ['visninger', 'antall', 'liste'].forEach(function (id) {
      var fresh = doc.getElementById(id), old = document.getElementById(id);
      if (fresh && old) old.replaceWith(fresh);
    });
    var freshRefresh = doc.getElementById('oppdater');
    if (freshRefresh && freshRefresh.dataset.poll) poll = freshRefresh.dataset.poll;
    list = document.getElementById('liste');
    wire();
    refresh.classList.remove('news');
    status.textContent = 'Listen er oppdatert.';
  }

  function check() {
    if (document.hidden || busy) return;
    busy = true;
    fetch(poll, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
      .then(function (r) { return r.status === 200 ? r.json() : null; })
      .then(function (v) {
        if (!v) return null;
        if (inUse()) {
          refresh.classList.add('news');
          status.textContent = 'Det har kommet endringer. Velg «Oppdater» for å se dem.';
          return null;
        }
        return fetch(window.location.href, {credentials: 'same-origin'})
          .then(function (r) { return r.ok ? r.text() : null; })
          .then(function (html) { if (html) swap(html); });
      })
      .catch(function () {})
      .then(function () { busy = false; });
  }

  window.setInterval(check, Number(refresh.dataset.interval) || 10000);
  document.addEventListener('visibilitychange', check);
})();
