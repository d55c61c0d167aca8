/* sasquatch triage console — the pages' only script, and an optional one: every page is
   rendered on the server and works without it (filters are a GET form, sorting and paging are
   links, triage is a POST form). It adds keyboard moves through the findings table, applies
   filters as they change and selects a whole page for bulk triage. It builds no markup from
   data and makes no request of its own. */
(function () {
  'use strict';
  var table = document.getElementById('findings');
  var filters = document.getElementById('filters');

  // filters apply as they change (the Apply button stays for typing and for no-script use)
  if (filters) {
    Array.prototype.forEach.call(filters.querySelectorAll('select, input[type=checkbox], input[type=date]'), function (el) {
      el.addEventListener('change', function () { filters.submit(); });
    });
  }

  if (table) {
    var rows = function () { return Array.prototype.slice.call(table.querySelectorAll('tbody tr.row')); };
    var current = function () { return document.activeElement && document.activeElement.closest ? document.activeElement.closest('tr.row') : null; };
    var focusRow = function (tr) {
      if (!tr) return;
      var link = tr.querySelector('a.open');
      if (link) link.focus();
      tr.scrollIntoView({ block: 'nearest' });
    };
    // a whole page selected at once (a checkbox in the selection column's header)
    var head = table.querySelector('thead th:first-child .sr');
    if (head) {
      var all = document.createElement('input');
      all.type = 'checkbox';
      all.id = 'select-all';
      all.setAttribute('aria-label', 'select every finding on this page');
      all.addEventListener('change', function () {
        rows().forEach(function (tr) { var c = tr.querySelector('input[type=checkbox]'); if (c) c.checked = all.checked; });
      });
      head.parentNode.appendChild(all);
    }
    document.addEventListener('keydown', function (e) {
      var t = e.target;
      var typing = t && (t.tagName === 'INPUT' && t.type !== 'checkbox' && t.type !== 'radio' || t.tagName === 'TEXTAREA' || t.tagName === 'SELECT');
      if (e.key === '/' && !typing) {
        var q = document.getElementById('f-text');
        if (q) { e.preventDefault(); q.focus(); q.select(); }
        return;
      }
      if (typing || e.altKey || e.ctrlKey || e.metaKey) return;
      var list = rows();
      if (!list.length) return;
      var at = list.indexOf(current());
      if (e.key === 'j' || e.key === 'ArrowDown') {
        e.preventDefault();
        focusRow(list[Math.min(list.length - 1, at + 1)]);
      } else if (e.key === 'k' || e.key === 'ArrowUp') {
        e.preventDefault();
        focusRow(list[Math.max(0, at - 1)]);
      } else if (e.key === 'x' && at >= 0) {
        e.preventDefault();
        var box = list[at].querySelector('input[type=checkbox]');
        if (box) box.checked = !box.checked;
      } else if (e.key === 'n' || e.key === 'p') {
        var page = document.querySelector('.pager a[rel=' + (e.key === 'n' ? 'next' : 'prev') + ']');
        if (page) { e.preventDefault(); page.click(); }
      }
    });
  }
  document.documentElement.setAttribute('data-ready', '1');
})();
