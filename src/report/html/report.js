// neardup report: links each highlighted passage to its partner on the other
// side. It only reads attributes the report itself wrote and toggles classes
// and scroll positions; it never creates markup from document text.
(function () {
  'use strict';
  var ID = /^[0-9]+$/;

  function idsOf(el) {
    return (el.getAttribute('data-a') || '').split(' ').filter(function (s) { return ID.test(s); });
  }
  function pane(sec, side) {
    return sec.querySelector('.text[data-side="' + side + '"]');
  }
  function marksOf(sec, side, id) {
    var p = pane(sec, side);
    return p && ID.test(id) ? p.querySelectorAll('mark[data-a~="' + id + '"]') : [];
  }
  function firstOf(sec, side, id) {
    var p = pane(sec, side);
    return p && ID.test(id) ? p.querySelector('mark[data-first~="' + id + '"]') : null;
  }
  function flag(sec, cls, ids) {
    sec.querySelectorAll('.' + cls).forEach(function (e) { e.classList.remove(cls); });
    ids.forEach(function (id) {
      ['s', 'd'].forEach(function (side) {
        marksOf(sec, side, id).forEach(function (e) { e.classList.add(cls); });
      });
    });
  }
  // Scrolls the pane of `side` so that the start of passage `id` is near its
  // top, then the window so that it is on screen.
  function reveal(sec, side, id) {
    var p = pane(sec, side), el = firstOf(sec, side, id);
    if (!p || !el) return;
    if (p.scrollHeight > p.clientHeight + 1) {
      var pr = p.getBoundingClientRect(), er = el.getBoundingClientRect();
      var room = Math.max(0, (p.clientHeight - er.height) / 2);
      p.scrollTop += er.top - pr.top - Math.min(p.clientHeight / 4, room);
    }
    var r = el.getBoundingClientRect(), h = window.innerHeight;
    if (r.top < 0 || r.top > h - 48) window.scrollBy(0, r.top - h / 3);
  }
  function activate(sec, id) {
    sec.setAttribute('data-active', id);
    flag(sec, 'active', [id]);
    sec.querySelectorAll('tr[data-go]').forEach(function (tr) {
      tr.classList.toggle('active', tr.getAttribute('data-go') === id);
    });
  }
  function clear(sec) {
    sec.removeAttribute('data-active');
    flag(sec, 'active', []);
    sec.querySelectorAll('tr.active').forEach(function (tr) { tr.classList.remove('active'); });
  }
  // A click on a mark selects its passage (the next one on repeated clicks
  // when source passages overlap) and brings the partner into view.
  function pick(m) {
    var sec = m.closest('section.cmp'), ids = idsOf(m);
    if (!sec || !ids.length) return;
    var side = m.closest('.text').getAttribute('data-side');
    var k = ids.indexOf(sec.getAttribute('data-active'));
    var id = k < 0 ? ids[0] : ids[(k + 1) % ids.length];
    activate(sec, id);
    reveal(sec, side === 's' ? 'd' : 's', id);
  }
  function go(sec, id) {
    activate(sec, id);
    var sides = sec.querySelector('.sides');
    if (sides) sides.scrollIntoView({ block: 'start' });
    reveal(sec, 'd', id);
    reveal(sec, 's', id);
  }
  function current() {
    var a = document.activeElement;
    var sec = a && a.closest ? a.closest('section.cmp') : null;
    if (sec) return sec;
    var all = document.querySelectorAll('section.cmp'), h = window.innerHeight;
    for (var i = 0; i < all.length; i++) {
      var r = all[i].getBoundingClientRect();
      if (r.bottom > h / 3) return all[i];
    }
    return all[0] || null;
  }
  function step(delta) {
    var sec = current();
    if (!sec) return;
    var n = parseInt(sec.getAttribute('data-count') || '0', 10);
    if (!n) return;
    var cur = parseInt(sec.getAttribute('data-active') || '0', 10);
    var next = cur ? ((cur - 1 + delta + n) % n) + 1 : (delta > 0 ? 1 : n);
    go(sec, String(next));
  }

  document.addEventListener('click', function (ev) {
    var t = ev.target;
    if (!t || !t.closest) return;
    var m = t.closest('mark.m');
    if (m) { pick(m); return; }
    var row = t.closest('tr[data-go]');
    if (row) {
      ev.preventDefault();
      go(row.closest('section.cmp'), row.getAttribute('data-go'));
    }
  });
  // Hovering lights up the passage on both sides; resting on it for a
  // moment scrolls the other pane (never the window) to the partner when it
  // is out of sight.
  function peek(m) {
    var sec = m.closest('section.cmp'), ids = idsOf(m);
    var side = m.closest('.text').getAttribute('data-side') === 's' ? 'd' : 's';
    var p = sec ? pane(sec, side) : null, el = p && ids.length ? firstOf(sec, side, ids[0]) : null;
    if (!el || p.scrollHeight <= p.clientHeight + 1) return;
    var pr = p.getBoundingClientRect(), er = el.getBoundingClientRect();
    if (er.top >= pr.top && er.top < pr.bottom - 24) return;
    p.scrollTop += er.top - pr.top - p.clientHeight / 4;
  }
  var hot = null, dwell = 0;
  document.addEventListener('mouseover', function (ev) {
    var m = ev.target && ev.target.closest ? ev.target.closest('mark.m') : null;
    if (m === hot) return;
    if (hot) { var s0 = hot.closest('section.cmp'); if (s0) flag(s0, 'hot', []); }
    clearTimeout(dwell);
    hot = m;
    if (m) {
      var s1 = m.closest('section.cmp');
      if (s1) flag(s1, 'hot', idsOf(m));
      dwell = setTimeout(function () { if (hot === m) peek(m); }, 450);
    }
  });
  document.addEventListener('keydown', function (ev) {
    if (ev.altKey || ev.ctrlKey || ev.metaKey) return;
    var t = ev.target;
    if ((ev.key === 'Enter' || ev.key === ' ') && t && t.matches && t.matches('mark.m')) {
      ev.preventDefault();
      pick(t);
    } else if ((ev.key === 'Enter' || ev.key === ' ') && t && t.matches && t.matches('tr[data-go]')) {
      ev.preventDefault();
      go(t.closest('section.cmp'), t.getAttribute('data-go'));
    } else if (ev.key === 'n' || ev.key === 'j') {
      step(1);
    } else if (ev.key === 'p' || ev.key === 'k') {
      step(-1);
    } else if (ev.key === 'Escape') {
      var sec = current();
      if (sec) clear(sec);
    }
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
