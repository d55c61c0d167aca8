/* sasquatch HTML report — the page's only script. It builds every element from the embedded
   JSON with textContent/createElement (never innerHTML), so a file name or token holding
   markup renders as text. No network: the strict Content-Security-Policy forbids it anyway. */
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('sasquatch-data').textContent);
  // repeated strings are stored once: resolve the interned fields
  data.findings.forEach(function (f) {
    data.interned.forEach(function (k) {
      var v = f[k];
      if (typeof v === 'number') f[k] = data.strings[v];
      else if (Array.isArray(v)) f[k] = v.map(function (x) { return typeof x === 'number' ? data.strings[x] : x; });
    });
  });
  var SEV = ['info', 'low', 'medium', 'high', 'critical'];
  var WARN = { write: 1, delete: 1, create: 1, add: 1, update: 1, process: 1, 'delete-version': 1, 'permanent-delete': 1, immutability: 1, move: 1, ownership: 1, permissions: 1, tag: 1 };
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
  function day(iso) { return iso ? String(iso).slice(0, 10) : '—'; }
  function bytes(n) {
    if (n === null || n === undefined) return '—';
    var u = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'], i = 0;
    while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + u[i];
  }
  function duration(s) {
    if (s === null || s === undefined) return '—';
    var d = s / 86400;
    if (d >= 730) return Math.floor(d / 365) + ' years';
    if (d >= 60) return Math.floor(d / 30.44) + ' months';
    if (d >= 2) return Math.floor(d) + ' days';
    return Math.max(1, Math.round(s / 3600)) + ' hours';
  }
  function sevBadge(s) { return el('span', { class: 'sev sev-' + s }, s); }
  function statusBadge(s) { return el('span', { class: 'status status-' + s }, s); }

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
        el('td', null, day(f.expiry)),
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
    var g = [];
    g.push(el('h3', null, [sevBadge(f.sev), ' ', f.title]));
    if (f.expl) g.push(el('p', null, f.expl));
    g.push(el('div', { class: 'reasons' }, 'Why ' + f.sev + ' (' + f.conf + ' confidence): ' + f.reasons.join('; ')));
    g.push(scope(f));
    if (f.perms) {
      g.push(el('div', { class: 'chips', 'aria-label': 'permissions' }, f.perms.map(function (p) { return el('span', { class: WARN[p] ? 'chip warn' : 'chip' }, p); })));
    } else if (f.policy) {
      g.push(el('div', { class: 'chips' }, el('span', { class: 'chip warn' }, 'permissions from stored policy ' + f.policy)));
    }
    var facts = el('dl', { class: 'facts' });
    function fact(k, v) { if (v !== null && v !== undefined && v !== '') append(facts, [el('dt', null, k), el('dd', null, v)]); }
    fact('link', el('code', { class: 'secret' }, (f.url ? f.url + '?' : '') + f.secret));
    fact('kind', f.kind);
    fact('start', f.start ? f.start : 'on arrival');
    fact('expiry', f.expiry ? f.expiry + (f.expired ? ' (expired)' : '') : (f.policy ? 'set by policy ' + f.policy : '—'));
    fact('lifetime', duration(f.lifetime));
    fact('protocols', f.protocols ? f.protocols.join(', ') : null);
    fact('IP range', f.kind && f.provider === 'azure' ? (f.ip || 'any') : f.ip);
    fact('how to revoke', f.revoke);
    fact('location', f.path + ':' + f.line + ':' + f.col + (f.cell !== null && f.cell !== undefined ? ' (cell ' + f.cell + ')' : ''));
    if (f.history) {
      var h = f.history;
      fact('introduced', day(h.introduced.date) + ' in ' + String(h.introduced.commit).slice(0, 10) + (h.introduced.author ? ' by ' + h.introduced.author : ''));
      fact('removed', h.removed ? day(h.removed.date) + ' in ' + String(h.removed.commit).slice(0, 10) : (h.presentAtHead ? 'still at HEAD' : '—'));
      if (h.commits) fact('commits', h.commits + (h.commits === 1 ? ' commit wrote it' : ' commits wrote it'));
      if (h.otherPaths && h.otherPaths.length) fact('also in', h.otherPaths.join(', '));
      if (h.exposure) fact('exposure window', day(h.exposure.from) + ' → ' + day(h.exposure.until) + ' (' + h.exposure.days + ' days)' + (h.exposure.stillValidAfterRemoval ? ' — still valid after removal' : ''));
    }
    if (f.verification) {
      var v = f.verification;
      fact('verified', v.status + (v.cause ? ' [' + v.cause + ']' : '') + (v.httpStatus ? ' (HTTP ' + v.httpStatus + (v.errorCode ? ' ' + v.errorCode : '') + ')' : '') + ' — ' + v.reason);
    }
    g.push(facts);
    if (f.exposure) g.push(exposureBlock(f.exposure));
    var steps = f.remediation >= 0 ? data.remediations[f.remediation] : [];
    if (steps.length) g.push(el('div', null, [el('strong', null, 'Playbook'), el('ol', { class: 'playbook' }, steps.map(function (s) {
      return el('li', null, [el('span', null, data.steps[s[0]])].concat(s[1].map(function (c) { return el('code', { class: 'cmd' }, data.steps[c]); })));
    }))]));
    return el('tr', { class: 'card' }, el('td', { colspan: 8 }, el('div', { class: 'grant' }, g)));
  }

  function scope(f) {
    var parts = [];
    parts.push(f.account ? 'account ' + f.account : 'unknown account');
    if (f.services && f.services.length) parts.push(f.services.join(' + '));
    if (f.scope === 'account') parts.push('every container' + (f.rtypes ? ' (' + f.rtypes.join(', ') + ')' : ''));
    else if (f.resource) f.resource.split('/').filter(Boolean).forEach(function (p, i, a) { parts.push(i === 0 && a.length > 1 ? p + '/' : p); });
    var box = el('div', { class: 'scope', 'aria-label': 'scope' });
    parts.forEach(function (p, i) {
      if (i) box.appendChild(el('span', { class: 'arrow' }, '→'));
      box.appendChild(el('span', { class: 'node' }, p));
    });
    return box;
  }

  function exposureBlock(x) {
    var rows = (x.containers || []).slice(0, 20).map(function (c) { return el('li', null, c.name + ': ' + c.objects + ' objects, ' + bytes(c.bytes) + (c.partial ? ' (partial)' : '')); });
    return el('div', null, [
      el('strong', null, 'Exposure' + (x.partial ? ' (partial)' : '') + ': '),
      x.totals.objects + ' objects, ' + bytes(x.totals.bytes) + ' in ' + x.totals.containers + ' containers' + (x.writable ? ', writable' : ''),
      el('ul', null, rows),
    ]);
  }

  /* ---------------------------------------------------------------- timeline */
  function timeline() {
    var box = document.getElementById('timeline');
    var items = data.findings.filter(function (f) { return f.history || f.expiry; }).sort(function (a, b) { return SEV.indexOf(b.sev) - SEV.indexOf(a.sev) || a.idx - b.idx; });
    var shownItems = items.slice(0, 60);
    if (!items.length) { box.appendChild(el('p', { class: 'empty' }, 'No credential with an expiry or a history.')); return; }
    var now = Date.parse(data.now);
    var min = Infinity, maxEnd = now;
    shownItems.forEach(function (f) {
      var s = f.history ? Date.parse(f.history.introduced.date) : Date.parse(f.start || data.now);
      if (f.start) s = Math.min(s, Date.parse(f.start));
      min = Math.min(min, s);
      if (f.expiry) maxEnd = Math.max(maxEnd, Date.parse(f.expiry));
    });
    // far expiries (2051) would squash the rest: cap the axis five years after now
    var cap = now + 5 * 365 * 86400000;
    var max = Math.min(maxEnd, cap);
    if (max <= min) max = min + 86400000;
    var W = 1000, left = 260, right = 70, rowH = 22, top = 26;
    var H = top + shownItems.length * rowH + 20;
    var x = function (t) { return left + (Math.min(Math.max(t, min), max) - min) / (max - min) * (W - left - right); };
    var s = svg('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'exposure timeline' });
    var y0 = new Date(min).getUTCFullYear() + 1, y1 = new Date(max).getUTCFullYear();
    var step = Math.max(1, Math.ceil((y1 - y0 + 1) / 10));
    for (var y = y0; y <= y1 + 1; y += step) {
      var t = Date.UTC(y, 0, 1);
      if (t < min || t > max) continue;
      s.appendChild(svg('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 6, y2: H - 16, 'stroke-dasharray': '2,3' }));
      s.appendChild(svg('text', { x: x(t) + 2, y: top - 10 }, String(y)));
    }
    shownItems.forEach(function (f, i) {
      var y = top + i * rowH;
      s.appendChild(svg('text', { x: 4, y: y + 14 }, (f.path.length > 34 ? '…' + f.path.slice(-33) : f.path) + ':' + f.line));
      // each row starts at the token's own start: valid before it reached the code (drawn as
      // "not yet in the code but valid"), exposed from whichever came later
      var tokenStart = f.start ? Date.parse(f.start) : null;
      var intro = f.history ? Date.parse(f.history.introduced.date) : null;
      var from = intro !== null ? (tokenStart !== null ? Math.max(intro, tokenStart) : intro) : (tokenStart !== null ? tokenStart : now);
      if (intro !== null && tokenStart !== null && tokenStart < intro) {
        var before = f.expiry ? Math.min(intro, Date.parse(f.expiry)) : intro;
        if (before > tokenStart) s.appendChild(svg('rect', { class: 'bar bar-valid bar-before', x: x(tokenStart), y: y + 4, width: Math.max(2, x(before) - x(tokenStart)), height: 12 }));
      }
      var removed = f.history && f.history.removed ? Date.parse(f.history.removed.date) : null;
      var end = f.expiry ? Date.parse(f.expiry) : null;
      var reach = removed !== null ? removed : now;
      var validEnd = end === null ? now : Math.min(end, reach);
      var exposedCls = f.status === 'live' ? 'bar bar-live' : 'bar bar-exposed';
      if (validEnd > from) s.appendChild(svg('rect', { class: exposedCls, x: x(from), y: y + 4, width: Math.max(2, x(validEnd) - x(from)), height: 12 }, ''));
      if (end !== null && end > reach) s.appendChild(svg('rect', { class: 'bar bar-valid', x: x(reach), y: y + 4, width: Math.max(2, x(end) - x(reach)), height: 12 }));
      if (end !== null && end < reach) {
        var expiredFrom = Math.max(end, from);
        s.appendChild(svg('rect', { class: 'bar bar-expired', x: x(expiredFrom), y: y + 4, width: Math.max(2, x(reach) - x(expiredFrom)), height: 12 }));
      }
      if (end !== null && end > max) s.appendChild(svg('text', { x: W - right + 4, y: y + 14 }, '→ ' + new Date(end).getUTCFullYear()));
    });
    s.appendChild(svg('line', { class: 'now', x1: x(now), x2: x(now), y1: top - 6, y2: H - 16 }));
    s.appendChild(svg('text', { x: x(now) + 3, y: H - 4 }, 'now'));
    box.appendChild(s);
    if (items.length > shownItems.length) box.appendChild(el('p', { class: 'muted' }, 'The ' + shownItems.length + ' most severe of ' + items.length + ' credentials are drawn.'));
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
