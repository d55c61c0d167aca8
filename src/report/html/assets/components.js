/* sasquatch page components — shared by the HTML report (drawn in the browser) and the triage
   console (rendered on the server). Each component returns a plain node tree
   ({ t: tag, a: attributes, c: children }, text as strings); toDom() builds DOM nodes from it
   with createElement/textContent (never innerHTML) and toHtml() writes markup in which every
   text and attribute value is escaped. A file name or token holding markup stays text either way. */
var SasquatchUI = (function () {
  'use strict';
  var SEV = ['info', 'low', 'medium', 'high', 'critical'];
  var WARN = { write: 1, delete: 1, create: 1, add: 1, update: 1, process: 1, 'delete-version': 1, 'permanent-delete': 1, immutability: 1, move: 1, ownership: 1, permissions: 1, tag: 1 };
  var SVG_NS = 'http://www.w3.org/2000/svg';

  /* ---------------------------------------------------------------- nodes */
  function flat(children, out) {
    if (children === undefined || children === null || children === false) return out;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (c) {
      if (c === null || c === undefined || c === false) return;
      if (Array.isArray(c)) flat(c, out);
      else out.push(typeof c === 'number' ? String(c) : c);
    });
    return out;
  }
  function h(tag, attrs, children) { return { t: tag, a: attrs || {}, c: flat(children, []) }; }
  function s(tag, attrs, text) { return { t: tag, a: attrs || {}, c: text === undefined ? [] : [String(text)], svg: true }; }

  function toDom(node, inSvg) {
    if (typeof node === 'string') return document.createTextNode(node);
    var svg = inSvg || node.svg || node.t === 'svg';
    var e = svg ? document.createElementNS(SVG_NS, node.t) : document.createElement(node.t);
    for (var k in node.a) if (node.a[k] !== null && node.a[k] !== undefined) e.setAttribute(k, String(node.a[k]));
    node.c.forEach(function (c) { e.appendChild(toDom(c, svg)); });
    return e;
  }

  function escape(text) {
    return String(text).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
  }
  function toHtml(node) {
    if (typeof node === 'string') return escape(node);
    if (!/^[a-z][a-zA-Z0-9-]*$/.test(node.t)) throw new Error('bad tag ' + node.t);
    var attrs = '';
    for (var k in node.a) {
      if (node.a[k] === null || node.a[k] === undefined) continue;
      if (!/^[a-zA-Z][a-zA-Z0-9:-]*$/.test(k) || /^on/i.test(k)) throw new Error('bad attribute ' + k);
      attrs += ' ' + k + '="' + escape(node.a[k]) + '"';
    }
    return '<' + node.t + attrs + '>' + node.c.map(toHtml).join('') + '</' + node.t + '>';
  }

  /** The report's page data stores repeated strings once: resolve the interned fields. */
  function resolve(data) {
    data.findings.forEach(function (f) {
      data.interned.forEach(function (k) {
        var v = f[k];
        if (typeof v === 'number') f[k] = data.strings[v];
        else if (Array.isArray(v)) f[k] = v.map(function (x) { return typeof x === 'number' ? data.strings[x] : x; });
      });
    });
    return data;
  }

  /* ---------------------------------------------------------------- words */
  function day(iso) { return iso ? String(iso).slice(0, 10) : '—'; }
  function bytes(n) {
    if (n === null || n === undefined) return '—';
    var u = ['B', 'KB', 'MB', 'GB', 'TB', 'PB'], i = 0;
    while (n >= 1000 && i < u.length - 1) { n /= 1000; i++; }
    return (i ? n.toFixed(1) : String(n)) + ' ' + u[i];
  }
  function duration(sec) {
    if (sec === null || sec === undefined) return '—';
    var d = sec / 86400;
    if (d >= 730) return Math.floor(d / 365) + ' years';
    if (d >= 60) return Math.floor(d / 30.44) + ' months';
    if (d >= 2) return Math.floor(d) + ' days';
    return Math.max(1, Math.round(sec / 3600)) + ' hours';
  }
  function sevBadge(sev) { return h('span', { class: 'sev sev-' + sev }, sev); }
  function statusBadge(st) { return h('span', { class: 'status status-' + st }, st); }

  /* ---------------------------------------------------------------- grant card */
  /** What a finding grants, why it is this severe, how long it was exposed, and what to do. */
  function grant(f, data) {
    var g = [];
    g.push(h('h3', null, [sevBadge(f.sev), ' ', f.title]));
    if (f.expl) g.push(h('p', null, f.expl));
    g.push(h('div', { class: 'reasons' }, 'Why ' + f.sev + (f.conf ? ' (' + f.conf + ' confidence)' : '') + ': ' + f.reasons.join('; ')));
    g.push(scope(f));
    if (f.perms) {
      g.push(h('div', { class: 'chips', 'aria-label': 'permissions' }, f.perms.map(function (p) { return h('span', { class: WARN[p] ? 'chip warn' : 'chip' }, p); })));
    } else if (f.policy) {
      g.push(h('div', { class: 'chips' }, h('span', { class: 'chip warn' }, 'permissions from stored policy ' + f.policy)));
    }
    var facts = [];
    function fact(k, v) { if (v !== null && v !== undefined && v !== '') facts.push(h('dt', null, k), h('dd', null, v)); }
    fact('link', h('code', { class: 'secret' }, (f.url ? f.url + '?' : '') + f.secret));
    fact('kind', f.kind);
    fact('start', f.start ? f.start : 'on arrival');
    fact('expiry', f.expiry ? f.expiry + (f.expired ? ' (expired)' : '') : (f.policy ? 'set by policy ' + f.policy : '—'));
    fact('lifetime', duration(f.lifetime));
    fact('protocols', f.protocols ? f.protocols.join(', ') : null);
    fact('IP range', f.kind && f.provider === 'azure' ? (f.ip || 'any') : f.ip);
    fact('how to revoke', f.revoke);
    fact('location', f.path + ':' + f.line + ':' + f.col + (f.cell !== null && f.cell !== undefined ? ' (cell ' + f.cell + ')' : ''));
    if (f.history) {
      var hist = f.history;
      fact('introduced', day(hist.introduced.date) + ' in ' + String(hist.introduced.commit).slice(0, 10) + (hist.introduced.author ? ' by ' + hist.introduced.author : ''));
      fact('removed', hist.removed ? day(hist.removed.date) + ' in ' + String(hist.removed.commit).slice(0, 10) : (hist.presentAtHead ? 'still at HEAD' : '—'));
      if (hist.commits) fact('commits', hist.commits + (hist.commits === 1 ? ' commit wrote it' : ' commits wrote it'));
      if (hist.otherPaths && hist.otherPaths.length) fact('also in', hist.otherPaths.join(', '));
      if (hist.exposure) fact('exposure window', day(hist.exposure.from) + ' → ' + day(hist.exposure.until) + ' (' + hist.exposure.days + ' days)' + (hist.exposure.stillValidAfterRemoval ? ' — still valid after removal' : ''));
    }
    if (f.verification) {
      var v = f.verification;
      fact('verified', v.status + (v.cause ? ' [' + v.cause + ']' : '') + (v.httpStatus ? ' (HTTP ' + v.httpStatus + (v.errorCode ? ' ' + v.errorCode : '') + ')' : '') + ' — ' + v.reason);
    }
    g.push(h('dl', { class: 'facts' }, facts));
    if (f.exposure) g.push(exposureBlock(f.exposure));
    var pb = playbook(f, data);
    if (pb) g.push(pb);
    return h('div', { class: 'grant' }, g);
  }

  function playbook(f, data) {
    var steps = f.remediation >= 0 ? data.remediations[f.remediation] : [];
    if (!steps.length) return null;
    return h('div', { class: 'playbook-box' }, [h('strong', null, 'Playbook'), h('ol', { class: 'playbook' }, steps.map(function (st) {
      return h('li', null, [h('span', null, data.steps[st[0]])].concat(st[1].map(function (c) { return h('code', { class: 'cmd' }, data.steps[c]); })));
    }))]);
  }

  function scope(f) {
    var parts = [];
    parts.push(f.account ? 'account ' + f.account : 'unknown account');
    if (f.services && f.services.length) parts.push(f.services.join(' + '));
    if (f.scope === 'account') parts.push('every container' + (f.rtypes ? ' (' + f.rtypes.join(', ') + ')' : ''));
    else if (f.resource) f.resource.split('/').filter(Boolean).forEach(function (p, i, a) { parts.push(i === 0 && a.length > 1 ? p + '/' : p); });
    var nodes = [];
    parts.forEach(function (p, i) {
      if (i) nodes.push(h('span', { class: 'arrow' }, '→'));
      nodes.push(h('span', { class: 'node' }, p));
    });
    return h('div', { class: 'scope', 'aria-label': 'scope' }, nodes);
  }

  function exposureBlock(x) {
    var rows = (x.containers || []).slice(0, 20).map(function (c) { return h('li', null, c.name + ': ' + c.objects + ' objects, ' + bytes(c.bytes) + (c.partial ? ' (partial)' : '')); });
    return h('div', { class: 'exposure' }, [
      h('strong', null, 'Exposure' + (x.partial ? ' (partial)' : '') + ': '),
      x.totals.objects + ' objects, ' + bytes(x.totals.bytes) + ' in ' + x.totals.containers + ' containers' + (x.writable ? ', writable' : ''),
      h('ul', null, rows),
    ]);
  }

  /* ---------------------------------------------------------------- timeline */
  /** Each credential's life: valid before it reached the code, exposed, removed but valid, expired. */
  function timeline(findings, nowIso, max) {
    var items = findings.filter(function (f) { return f.history || f.expiry; }).sort(function (a, b) { return SEV.indexOf(b.sev) - SEV.indexOf(a.sev) || a.idx - b.idx; });
    var shownItems = items.slice(0, max || 60);
    if (!items.length) return [h('p', { class: 'empty' }, 'No credential with an expiry or a history.')];
    var now = Date.parse(nowIso);
    var min = Infinity, maxEnd = now;
    shownItems.forEach(function (f) {
      var st = f.history ? Date.parse(f.history.introduced.date) : Date.parse(f.start || nowIso);
      if (f.start) st = Math.min(st, Date.parse(f.start));
      min = Math.min(min, st);
      if (f.expiry) maxEnd = Math.max(maxEnd, Date.parse(f.expiry));
    });
    // far expiries (2051) would squash the rest: cap the axis five years after now
    var cap = now + 5 * 365 * 86400000;
    var hi = Math.min(maxEnd, cap);
    if (hi <= min) hi = min + 86400000;
    var W = 1000, left = 260, right = 70, rowH = 22, top = 26;
    var H = top + shownItems.length * rowH + 20;
    var x = function (t) { return left + (Math.min(Math.max(t, min), hi) - min) / (hi - min) * (W - left - right); };
    var parts = [];
    var y0 = new Date(min).getUTCFullYear() + 1, y1 = new Date(hi).getUTCFullYear();
    var step = Math.max(1, Math.ceil((y1 - y0 + 1) / 10));
    for (var yr = y0; yr <= y1 + 1; yr += step) {
      var t = Date.UTC(yr, 0, 1);
      if (t < min || t > hi) continue;
      parts.push(s('line', { class: 'axis', x1: x(t), x2: x(t), y1: top - 6, y2: H - 16, 'stroke-dasharray': '2,3' }));
      parts.push(s('text', { x: x(t) + 2, y: top - 10 }, String(yr)));
    }
    shownItems.forEach(function (f, i) {
      var y = top + i * rowH;
      parts.push(s('text', { x: 4, y: y + 14 }, (f.path.length > 34 ? '…' + f.path.slice(-33) : f.path) + ':' + f.line));
      // each row starts at the token's own start: valid before it reached the code (drawn as
      // "not yet in the code but valid"), exposed from whichever came later
      var tokenStart = f.start ? Date.parse(f.start) : null;
      var intro = f.history ? Date.parse(f.history.introduced.date) : null;
      var from = intro !== null ? (tokenStart !== null ? Math.max(intro, tokenStart) : intro) : (tokenStart !== null ? tokenStart : now);
      if (intro !== null && tokenStart !== null && tokenStart < intro) {
        var before = f.expiry ? Math.min(intro, Date.parse(f.expiry)) : intro;
        if (before > tokenStart) parts.push(s('rect', { class: 'bar bar-valid bar-before', x: x(tokenStart), y: y + 4, width: Math.max(2, x(before) - x(tokenStart)), height: 12 }));
      }
      var removed = f.history && f.history.removed ? Date.parse(f.history.removed.date) : null;
      var end = f.expiry ? Date.parse(f.expiry) : null;
      var reach = removed !== null ? removed : now;
      var validEnd = end === null ? now : Math.min(end, reach);
      var exposedCls = f.status === 'live' ? 'bar bar-live' : 'bar bar-exposed';
      if (validEnd > from) parts.push(s('rect', { class: exposedCls, x: x(from), y: y + 4, width: Math.max(2, x(validEnd) - x(from)), height: 12 }, ''));
      if (end !== null && end > reach) parts.push(s('rect', { class: 'bar bar-valid', x: x(reach), y: y + 4, width: Math.max(2, x(end) - x(reach)), height: 12 }));
      if (end !== null && end < reach) {
        var expiredFrom = Math.max(end, from);
        parts.push(s('rect', { class: 'bar bar-expired', x: x(expiredFrom), y: y + 4, width: Math.max(2, x(reach) - x(expiredFrom)), height: 12 }));
      }
      if (end !== null && end > hi) parts.push(s('text', { x: W - right + 4, y: y + 14 }, '→ ' + new Date(end).getUTCFullYear()));
    });
    parts.push(s('line', { class: 'now', x1: x(now), x2: x(now), y1: top - 6, y2: H - 16 }));
    parts.push(s('text', { x: x(now) + 3, y: H - 4 }, 'now'));
    var out = [h('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': 'exposure timeline' }, parts)];
    if (items.length > shownItems.length) out.push(h('p', { class: 'muted' }, 'The ' + shownItems.length + ' most severe of ' + items.length + ' credentials are drawn.'));
    return out;
  }

  /** A line of counts over days (open findings over time): [{ day: 'YYYY-MM-DD', value: n }]. */
  function lineChart(points, label) {
    var W = 1000, H = 220, left = 50, right = 16, top = 14, bottom = 28;
    if (!points.length) return h('p', { class: 'empty' }, 'Nothing to draw yet.');
    var maxV = Math.max.apply(null, points.map(function (p) { return p.value; }).concat([1]));
    var x = function (i) { return left + (points.length === 1 ? 0 : i / (points.length - 1)) * (W - left - right); };
    var y = function (v) { return top + (1 - v / maxV) * (H - top - bottom); };
    var parts = [];
    for (var k = 0; k <= 4; k++) {
      var v = Math.round(maxV * k / 4);
      parts.push(s('line', { class: 'grid', x1: left, x2: W - right, y1: y(v), y2: y(v) }));
      parts.push(s('text', { x: 4, y: y(v) + 4 }, String(v)));
    }
    var step = Math.max(1, Math.ceil(points.length / 8));
    for (var i = 0; i < points.length; i += step) parts.push(s('text', { x: x(i) - 18, y: H - 8 }, points[i].day.slice(5)));
    var d = points.map(function (p, j) { return (j ? 'L' : 'M') + x(j).toFixed(1) + ' ' + y(p.value).toFixed(1); }).join(' ');
    parts.push(s('path', { class: 'area', d: d + ' L' + x(points.length - 1).toFixed(1) + ' ' + y(0) + ' L' + x(0) + ' ' + y(0) + ' Z' }));
    parts.push(s('path', { class: 'line', d: d }));
    var last = points[points.length - 1];
    parts.push(s('text', { x: x(points.length - 1) - 40, y: y(last.value) - 6, class: 'last' }, String(last.value)));
    return h('svg', { viewBox: '0 0 ' + W + ' ' + H, width: W, height: H, role: 'img', 'aria-label': label }, parts);
  }

  return {
    h: h, s: s, toDom: toDom, toHtml: toHtml, resolve: resolve,
    day: day, bytes: bytes, duration: duration, sevBadge: sevBadge, statusBadge: statusBadge,
    grant: grant, scope: scope, playbook: playbook, exposureBlock: exposureBlock, timeline: timeline, lineChart: lineChart,
    SEV: SEV,
  };
})();
