// Staff pages: keyboard shortcuts and the presence poll. Progressive: every page works
// without this file; it only adds keys and keeps "who else is here" fresh.
(function () {
  'use strict';

  function typing(el) {
    if (!el) return false;
    var tag = el.tagName;
    return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || el.isContentEditable;
  }

  function rows() {
    return Array.prototype.slice.call(document.querySelectorAll('table.tickets tbody tr'));
  }

  var current = -1;

  function select(i) {
    var list = rows();
    if (!list.length) return;
    i = Math.max(0, Math.min(list.length - 1, i));
    if (current >= 0 && list[current]) list[current].classList.remove('selected');
    current = i;
    list[i].classList.add('selected');
    var link = list[i].querySelector('a');
    if (link) link.focus();
  }

  function openSelected() {
    var list = rows();
    if (current < 0 || !list[current]) return false;
    var link = list[current].querySelector('a');
    if (link) window.location.href = link.href;
    return !!link;
  }

  // fields of the compose forms (templates/_compose.html) by id, besides data-shortcut
  var fallback = {reply: '#svar-tekst', note: '#notat-tekst'};

  function focusShortcut(name) {
    var el = document.querySelector('[data-shortcut="' + name + '"]') ||
      (fallback[name] && document.querySelector(fallback[name]));
    if (!el) return false;
    var box = el.closest('details');
    if (box) box.open = true;
    el.focus();
    if (el.scrollIntoView) el.scrollIntoView({block: 'center'});
    return true;
  }

  function help() {
    var d = document.getElementById('hurtigtaster');
    if (d && typeof d.showModal === 'function' && !d.open) d.showModal();
  }

  document.addEventListener('keydown', function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || typing(e.target)) return;
    var handled = true;
    switch (e.key) {
      case 'j': select(current + 1); break;
      case 'k': select(current < 0 ? 0 : current - 1); break;
      case 'o': handled = openSelected(); break;
      case 'Enter': handled = document.activeElement === document.body && openSelected(); break;
      case '/':
        if (!focusShortcut('search')) window.location.href = '/innboks#q';
        break;
      case 'r': handled = focusShortcut('reply'); break;
      case 'n': handled = focusShortcut('note'); break;
      case 'a': handled = focusShortcut('assign'); break;
      case '?': help(); break;
      default: handled = false;
    }
    if (handled) e.preventDefault();
  });

  if (window.location.hash === '#q') focusShortcut('search');

  // Presence: tell the server every 20 seconds that this ticket is still open here, show who
  // else has it open, and warn when the ticket changed since this page was loaded.
  var presence = document.getElementById('tilstede');
  if (presence && presence.dataset.poll && window.fetch) {
    var poll = function () {
      if (document.hidden) return;
      fetch(presence.dataset.poll, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
        .then(function (r) { return r.ok ? r.json() : null; })
        .then(function (v) {
          if (!v) return;
          if (presence.textContent !== v.others) presence.textContent = v.others;
          var changed = document.getElementById('endret');
          if (changed && presence.dataset.version && v.version !== presence.dataset.version) changed.hidden = false;
        })
        .catch(function () {});
    };
    window.setInterval(poll, 20000);
    document.addEventListener('visibilitychange', poll);
  }
})();
