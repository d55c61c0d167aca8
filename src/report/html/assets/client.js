/* sasquatch HTML report — the page's only script. It builds every element from the embedded
   JSON with textContent/createElement (never innerHTML), so a file name or token holding
   markup renders as text. No network: the strict Content-Security-Policy forbids it anyway. */
(function () {
  'use strict';
  var UI = SasquatchUI;
  // repeated strings are stored once: resolve the interned fields
  var data = UI.resolve(JSON.parse(document.getElementById('sasquatch-data').textContent));
  var SEV = ['info', 'low', 'medium', 'high', 'critical'];
  var SVG = 'http://www.w3.org/2000/svg';
  var state = { sort: 'sev', dir: -1, open: {} };

  function el(tag, attrs, children) {
    var e = document.createElement(tag);
    if (attrs) for (var k in attrs) if (attrs[k] !== null && attrs[k] !== undefined) e.setAttribute(k, String(attrs[k]));
    append(e, children);
    return e;
  }
  function svg(tag, attrs, text) {
    var e = document.createElementNS(SVG, tag);
    for (var k in attrs) e.setAttribute(k, String(attrs[k]));
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function append(e, children) {
    if (children === undefined || children === null) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      e.appendChild(typeof c === 'string' || typeof c === 'number' ? document.createTextNode(String(c)) : c);
    });
  }
  var bytes = UI.bytes;
  function sevBadge(s) { return UI.toDom(UI.sevBadge(s)); }
  function statusBadge(s) { return UI.toDom(UI.statusBadge(s)); }

  /* ---------------------------------------------------------------- table */
  var tbody = document.getElementById('rows');
  var filters = { sev: '', conf: '', rule: '', provider: '', status: '', path: '' };
  var CONF = ['low', 'medium', 'high'];

  function fillSelect(id, values) {
    var sel = document.getElementById(id);
    values.forEach(function (v) { sel.appendChild(el('option', { value: v }, v)); });
    sel.addEventListener('change', function () { filters[sel.getAttribute('data-key')] = sel.value; render(); });
  }
  function unique(key) {
    var seen = {};
    data.findings.forEach(function (f) { seen[f[key]] = 1; });
    return Object.keys(seen).sort();
  }
  fillSelect('f-sev', SEV.slice().reverse().filter(function (s) { return data.counts[s] > 0; }));
  fillSelect('f-conf', CONF.slice().reverse().filter(function (c) { return data.findings.some(function (f) { return f.conf === c; }); }));
  fillSelect('f-rule', unique('rule'));
  fillSelect('f-provider', unique('provider'));
  fillSelect('f-status', unique('status'));
  document.getElementById('f-path').addEventListener('input', function (e) { filters.path = e.target.value.toLowerCase(); render(); });

  Array.prototype.forEach.call(document.querySelectorAll('th[data-sort]'), function (th) {
    th.addEventListener('click', function () {
      var key = th.getAttribute('data-sort');
      state.dir = state.sort === key ? -state.dir : (key === 'sev' ? -1 : 1);
      state.sort = key;
      render();
    });
  });

  function sortValue(f, key) {
    if (key === 'sev') return SEV.indexOf(f.sev) * 1e6 - f.idx;
    if (key === 'conf') return CONF.indexOf(f.conf) * 1e6 - f.idx;
    if (key === 'loc') return f.path + ':' + String(1e9 + f.line);
    if (key === 'expiry') return f.expiry || '9999';
    return String(f[key] || '');
  }
  function visible(f) {
    return (!filters.sev || f.sev === filters.sev) && (!filters.conf || f.conf === filters.conf) && (!filters.rule || f.rule === filters.rule) &&
      (!filters.provider || f.provider === filters.provider) && (!filters.status || f.status === filters.status) &&
      (!filters.path || f.path.toLowerCase().indexOf(filters.path) >= 0);
  }

  function render() {
    var rows = data.findings.filter(visible).sort(function (a, b) {
      var x = sortValue(a, state.sort), y = sortValue(b, state.sort);
      return (x < y ? -1 : x > y ? 1 : 0) * state.dir;
    });
    Array.prototype.forEach.call(document.querySelectorAll('th[data-sort]'), function (th) {
      th.setAttribute('aria-sort', th.getAttribute('data-sort') === state.sort ? (state.dir > 0 ? 'ascending' : 'descending') : 'none');
    });
    tbody.textContent = '';
    var frag = document.createDocumentFragment();
    rows.forEach(function (f) {
      var tr = el('tr', { class: 'row', 'data-fp': f.fp, tabindex: 0 }, [
        el('td', null, sevBadge(f.sev)),
        el('td', { class: 'conf' }, f.conf),
        el('td', null, statusBadge(f.status)),
        el('td', null, f.rule),
        el('td', null, f.provider),
        el('td', { class: 'loc' }, f.path + ':' + f.line),
        el('td', null, [f.account || '—', f.resource ? el('div', { class: 'muted' }, f.resource) : null]),
        el('td', null, UI.day(f.expiry)),
      ]);
      tr.addEventListener('click', function () { toggle(f); });
      tr.addEventListener('keydown', function (e) { if (e.key === 'Enter') toggle(f); });
      frag.appendChild(tr);
      if (state.open[f.fp]) frag.appendChild(card(f));
    });
    tbody.appendChild(frag);
    document.getElementById('shown').textContent = rows.length + ' of ' + data.findings.length + ' findings';
  }
  function toggle(f) { state.open[f.fp] = !state.open[f.fp]; render(); }

  /* ---------------------------------------------------------------- grant card */
  function card(f) {
    return el('tr', { class: 'card' }, el('td', { colspan: 8 }, UI.toDom(UI.grant(f, data))));
  }

  /* ---------------------------------------------------------------- timeline */
  function timeline() {
    var box = document.getElementById('timeline');
    UI.timeline(data.findings, data.now).forEach(function (n) { box.appendChild(UI.toDom(n)); });
  }

  /* ---------------------------------------------------------------- exposure */
  function exposure() {
    var box = document.getElementById('exposure');
    var seen = {}, containers = {}, sensitive = [];
    data.findings.forEach(function (f) {
      var x = f.exposure;
      if (!x) return;
      var key = (f.account || '') + '|' + JSON.stringify(x.totals);
      if (seen[key]) return;
      seen[key] = 1;
      (x.containers || []).forEach(function (c) {
        var k = (f.account || '?') + '/' + c.name;
        containers[k] = containers[k] || { name: k, bytes: 0, objects: 0 };
        containers[k].bytes = Math.max(containers[k].bytes, c.bytes);
        containers[k].objects = Math.max(containers[k].objects, c.objects);
      });
      (x.sensitive || []).forEach(function (o) { sensitive.push({ account: f.account, o: o }); });
    });
    var list = Object.keys(containers).map(function (k) { return containers[k]; }).sort(function (a, b) { return b.bytes - a.bytes; }).slice(0, 30);
    if (!list.length) { box.appendChild(el('p', { class: 'empty' }, 'No exposure data: run the scan with --verify --exposure to measure what live links reach.')); return; }
    var W = 1000, left = 300, rowH = 22, H = list.length * rowH + 10;
    var maxB = Math.max.apply(null, list.map(function (c) { return c.bytes; })) || 1;
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'bytes per container' });
    list.forEach(function (c, i) {
      var y = i * rowH;
      s.appendChild(svg('text', { x: 4, y: y + 14 }, c.name));
      s.appendChild(svg('rect', { class: 'bar bar-exposed', x: left, y: y + 4, width: Math.max(2, (W - left - 170) * c.bytes / maxB), height: 12 }));
      s.appendChild(svg('text', { x: left + 4 + (W - left - 170) * c.bytes / maxB, y: y + 14 }, bytes(c.bytes) + ' · ' + c.objects + ' objects'));
    });
    box.appendChild(s);
    if (sensitive.length) {
      box.appendChild(el('h2', null, 'Sensitive objects'));
      box.appendChild(el('table', null, [
        el('thead', null, el('tr', null, ['account', 'container', 'object', 'category', 'size', 'writable'].map(function (h) { return el('th', null, h); }))),
        el('tbody', { id: 'sensitive' }, sensitive.slice(0, 200).map(function (x) {
          return el('tr', null, [x.account || '—', x.o.container, x.o.name, x.o.category, bytes(x.o.bytes), x.o.writable ? 'yes' : 'no'].map(function (v) { return el('td', null, v); }));
        })),
      ]));
    }
  }

  render();
  timeline();
  exposure();
  document.documentElement.setAttribute('data-ready', '1');
  document.documentElement.setAttribute('data-render-ms', String(Math.round(performance.now())));
})();
