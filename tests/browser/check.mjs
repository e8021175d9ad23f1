// Checks neardup HTML reports in headless Chromium: node check.mjs MANIFEST.json
//
// The manifest (written by tests/cli.rs) lists reports with the JSON lines
// `neardup compare --json` printed for them:
//   {"cases": [{"name", "html", "json": [...], "many": bool, "max_matches": N}]}
// For every span of the JSON, the report must highlight exactly its text on
// both sides, with the right offsets and kind; clicking a passage must bring
// its partner into view; nothing from a document may run as script; the page
// must make no request but for itself.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const manifest = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const STYLE = { verbatim: 'solid', edited: 'dashed', paraphrase: 'dotted', summary: 'wavy' };
/** Clicks per report side (spread over the passages) to keep runs short. */
const MAX_CLICKS = 12;

/** The file as neardup reads it: BOM stripped, invalid UTF-8 replaced. */
function readText(path) {
  return new TextDecoder('utf-8').decode(readFileSync(path));
}

function sliceChars(chars, start, end) {
  return chars.slice(start, end).join('');
}

function assert(cond, message) {
  if (!cond) throw new Error(message);
}

function spread(n, k) {
  if (n <= k) return [...Array(n).keys()];
  return [...Array(k).keys()].map((i) => Math.round((i * (n - 1)) / (k - 1)));
}

/** Everything the page shows about the passages of one section. */
async function sectionFacts(page, sel) {
  return page.evaluate((sel) => {
    const sec = document.querySelector(sel);
    const side = (s) => {
      const pane = sec.querySelector(`.text[data-side="${s}"]`);
      const marks = [...pane.querySelectorAll('mark')].map((m) => {
        const cs = getComputedStyle(m);
        return {
          ids: (m.getAttribute('data-a') || '').split(' ').filter(Boolean).map(Number),
          first: (m.getAttribute('data-first') || '').split(' ').filter(Boolean).map(Number),
          start: Number(m.getAttribute('data-start')),
          end: Number(m.getAttribute('data-end')),
          cls: m.className,
          text: m.textContent,
          bg: cs.backgroundColor,
          deco: cs.textDecorationLine,
          decoStyle: cs.textDecorationStyle,
        };
      });
      const children = [...pane.querySelectorAll('*')].filter((e) => e.tagName !== 'MARK').length;
      return { text: pane.textContent, marks, children };
    };
    const files = [...sec.querySelectorAll('.side-head .file')].map((d) => d.textContent);
    const rows = [...sec.querySelectorAll('tr[data-go]')].map((r) => r.getAttribute('data-go'));
    return { s: side('s'), d: side('d'), files, rows, count: Number(sec.getAttribute('data-count')) };
  }, sel);
}

function checkSpans(facts, v, where) {
  const texts = { s: readText(v.source), d: readText(v.derived) };
  const spans = v.spans;
  assert(facts.count === spans.length, `${where}: data-count ${facts.count} != ${spans.length} spans`);
  assert(facts.rows.length === spans.length, `${where}: ${facts.rows.length} table rows for ${spans.length} spans`);
  for (const side of ['s', 'd']) {
    const f = facts[side];
    const name = side === 's' ? 'source' : 'derived';
    assert(f.text === texts[side], `${where}: the ${name} pane does not hold the ${name} text verbatim`);
    assert(f.children === 0, `${where}: ${f.children} elements other than <mark> in the ${name} pane`);
    const chars = Array.from(texts[side]);
    for (const m of f.marks) {
      assert(m.ids.length > 0, `${where}: a ${name} mark without passage`);
      for (const id of m.ids) assert(id >= 1 && id <= spans.length, `${where}: ${name} mark of unknown passage ${id}`);
      assert(sliceChars(chars, m.start, m.end) === m.text, `${where}: ${name} mark ${m.start}..${m.end} text differs`);
      assert(!/rgba\(0, 0, 0, 0\)|transparent/.test(m.bg), `${where}: ${name} mark ${m.start}..${m.end} not highlighted (${m.bg})`);
      assert(m.deco.includes('underline'), `${where}: ${name} mark ${m.start}..${m.end} not underlined`);
    }
    spans.forEach((sp, i) => {
      const n = i + 1;
      const start = sp[`${name}_start`], end = sp[`${name}_end`];
      const mine = f.marks.filter((m) => m.ids.includes(n));
      assert(mine.length > 0, `${where}: passage ${n} not highlighted in the ${name}`);
      assert(mine[0].start === start, `${where}: passage ${n} starts at ${mine[0].start} in the ${name}, JSON says ${start}`);
      assert(mine[mine.length - 1].end === end, `${where}: passage ${n} ends at ${mine[mine.length - 1].end} in the ${name}, JSON says ${end}`);
      for (let k = 1; k < mine.length; k++) {
        assert(mine[k].start === mine[k - 1].end, `${where}: passage ${n} has a gap in the ${name} at ${mine[k - 1].end}`);
      }
      const text = mine.map((m) => m.text).join('');
      assert(text === sliceChars(chars, start, end), `${where}: passage ${n} text differs in the ${name}`);
      assert(mine[0].first.includes(n), `${where}: passage ${n} has no start marker in the ${name}`);
      if (mine.length === 1 || side === 'd') {
        // Where the passage alone decides the look, kind and underline match.
        const solo = mine.filter((m) => m.ids.length === 1);
        for (const m of solo) {
          assert(m.cls.includes(`k-${sp.kind}`), `${where}: passage ${n} is ${sp.kind} but shown as ${m.cls}`);
          assert(m.decoStyle === STYLE[sp.kind], `${where}: passage ${n} underline ${m.decoStyle}, want ${STYLE[sp.kind]}`);
        }
      }
    });
    // Nothing outside the passages is highlighted.
    const covered = new Set();
    spans.forEach((sp) => {
      for (let c = sp[`${name}_start`]; c < sp[`${name}_end`]; c++) covered.add(c);
    });
    const marked = f.marks.reduce((acc, m) => acc + (m.end - m.start), 0);
    assert(marked === covered.size, `${where}: ${marked} ${name} characters highlighted, passages cover ${covered.size}`);
  }
}

/** Is the start of passage n on `side` inside its pane's visible area and the window? */
async function visible(page, sel, side, n) {
  return page.evaluate(([sel, side, n]) => {
    const sec = document.querySelector(sel);
    const pane = sec.querySelector(`.text[data-side="${side}"]`);
    const el = pane.querySelector(`mark[data-first~="${n}"]`);
    const p = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
    const top = r.top, h = window.innerHeight;
    return {
      ok: top >= p.top - 1 && top < p.bottom && top >= 0 && top < h && el.classList.contains('active'),
      detail: `mark top ${top.toFixed(0)}, pane ${p.top.toFixed(0)}..${p.bottom.toFixed(0)}, window 0..${h}, active ${el.classList.contains('active')}`,
    };
  }, [sel, side, n]);
}

/** Scrolls the pane of `side` as far from passage n as it goes. */
async function scrollAway(page, sel, side, n) {
  await page.evaluate(([sel, side, n]) => {
    const sec = document.querySelector(sel);
    const pane = sec.querySelector(`.text[data-side="${side}"]`);
    const el = pane.querySelector(`mark[data-first~="${n}"]`);
    const mid = el.offsetTop - pane.offsetTop;
    pane.scrollTop = mid > pane.scrollHeight / 2 ? 0 : pane.scrollHeight;
    window.scrollTo(0, 0);
  }, [sel, side, n]);
}

/** A point on the first line of an element, scrolled into view in its pane. */
async function pointAt(page, selector) {
  const pt = await page.evaluate((s) => {
    const el = document.querySelector(s);
    const pane = el.closest('.text');
    pane.scrollTop += el.getClientRects()[0].top - pane.getBoundingClientRect().top - 20;
    pane.scrollIntoView({ block: 'nearest' });
    const r = el.getClientRects()[0];
    const x = r.left + Math.min(r.width / 2, 12), y = r.top + r.height / 2;
    const hit = document.elementFromPoint(x, y);
    return hit && hit.closest('mark') === el ? [x, y] : null;
  }, selector);
  assert(pt, `${selector} cannot be reached: something else is on top of it`);
  return pt;
}

/** Clicks the first line of an element, as a reader would. */
async function clickFirstLine(page, selector) {
  const [x, y] = await pointAt(page, selector);
  await page.mouse.click(x, y);
}

async function checkClicks(page, sel, v, where) {
  const n = v.spans.length;
  for (const i of spread(n, MAX_CLICKS)) {
    const id = i + 1;
    // Derived → source.
    await scrollAway(page, sel, 's', id);
    await clickFirstLine(page, `${sel} .text[data-side="d"] mark[data-first~="${id}"]`);
    let vis = await visible(page, sel, 's', id);
    assert(vis.ok, `${where}: after a click on derived passage ${id}, its source is not in view (${vis.detail})`);
    // Source → derived: overlapping source passages cycle on repeated clicks.
    await scrollAway(page, sel, 'd', id);
    for (let k = 0; k < 8; k++) {
      await clickFirstLine(page, `${sel} .text[data-side="s"] mark[data-first~="${id}"]`);
      if ((await page.locator(sel).getAttribute('data-active')) === String(id)) break;
    }
    vis = await visible(page, sel, 'd', id);
    assert(vis.ok, `${where}: after a click on source passage ${id}, its derived text is not in view (${vis.detail})`);
    // Resting the pointer on a derived passage scrolls the source pane to it.
    await scrollAway(page, sel, 's', id);
    await page.mouse.move(1, 1);
    const [hx, hy] = await pointAt(page, `${sel} .text[data-side="d"] mark[data-first~="${id}"]`);
    await page.mouse.move(hx, hy);
    await page.waitForTimeout(700);
    const hover = await page.evaluate(([sel, n]) => {
      const pane = document.querySelector(`${sel} .text[data-side="s"]`);
      const el = pane.querySelector(`mark[data-first~="${n}"]`);
      const p = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
      return { ok: r.top >= p.top - 1 && r.top < p.bottom && el.classList.contains('hot'), detail: `top ${r.top.toFixed(0)}, pane ${p.top.toFixed(0)}..${p.bottom.toFixed(0)}, hot ${el.classList.contains('hot')}` };
    }, [sel, id]);
    assert(hover.ok, `${where}: resting on derived passage ${id} did not bring its source into view (${hover.detail})`);
    // A row of the table shows both.
    await scrollAway(page, sel, 's', id);
    await scrollAway(page, sel, 'd', id);
    await page.locator(`${sel} tr[data-go="${id}"] td:nth-child(3)`).click();
    for (const side of ['s', 'd']) {
      vis = await visible(page, sel, side, id);
      assert(vis.ok, `${where}: after a click on table row ${id}, the ${side} passage is not in view (${vis.detail})`);
    }
  }
  // Keyboard: n steps to the next passage.
  if (n > 1) {
    await page.evaluate((sel) => {
      const row = document.querySelector(`${sel} tr[data-go="1"]`);
      row.focus();
      row.click();
    }, sel);
    await page.keyboard.press('n');
    const active = await page.locator(sel).getAttribute('data-active');
    assert(active === '2', `${where}: key n went to ${active}, want 2`);
  }
}

/** Nothing a document holds may have run or become markup. */
async function checkInert(page, where) {
  // Hover over every mark, so that injected handlers would have a chance.
  const boxes = await page.evaluate(() => [...document.querySelectorAll('mark')].slice(0, 200).map((m) => {
    m.scrollIntoView({ block: 'center' });
    const r = m.getBoundingClientRect();
    return [r.left + 1, r.top + 1];
  }));
  for (const [x, y] of boxes.slice(-20)) await page.mouse.move(x, y);
  const facts = await page.evaluate(() => ({
    pwned: typeof window.__pwned === 'undefined' ? null : String(window.__pwned),
    title: document.title,
    scripts: document.scripts.length,
    styles: document.querySelectorAll('style').length,
    foreign: [...document.querySelectorAll('img,svg,iframe,object,embed,textarea,form,input,link,base,frame,video,audio,source,math')].map((e) => e.tagName),
    handlers: [...document.querySelectorAll('*')].flatMap((e) => [...e.attributes].filter((a) => /^on/i.test(a.name)).map((a) => `${e.tagName}[${a.name}]`)),
    metas: [...document.querySelectorAll('meta[http-equiv]')].map((m) => m.getAttribute('http-equiv')),
    ready: document.documentElement.getAttribute('data-ready'),
  }));
  assert(facts.pwned === null, `${where}: injected script ran (__pwned = ${facts.pwned})`);
  assert(!facts.title.includes('XSS'), `${where}: title changed to ${facts.title}`);
  assert(facts.scripts === 1 && facts.styles === 1, `${where}: ${facts.scripts} scripts, ${facts.styles} style sheets (want 1 and 1)`);
  assert(facts.foreign.length === 0, `${where}: foreign elements ${facts.foreign.join(' ')}`);
  assert(facts.handlers.length === 0, `${where}: event handler attributes ${facts.handlers.join(' ')}`);
  assert(facts.metas.join() === 'Content-Security-Policy', `${where}: http-equiv metas ${facts.metas.join()}`);
  assert(facts.ready === '1', `${where}: the report's own script did not run`);
}

async function checkPrint(page, where) {
  await page.emulateMedia({ media: 'print' });
  const clipped = await page.evaluate(() => [...document.querySelectorAll('.text')].filter((p) => p.scrollHeight > p.clientHeight + 2).length);
  await page.emulateMedia({ media: 'screen' });
  assert(clipped === 0, `${where}: ${clipped} panes cut off when printed`);
}

async function checkMany(page, c, where) {
  const facts = await page.evaluate(() => ({
    scores: [...document.querySelectorAll('table.summary tbody tr[data-score]')].map((r) => Number(r.getAttribute('data-score'))),
    links: [...document.querySelectorAll('table.summary tbody a')].map((a) => a.getAttribute('href')),
    sections: [...document.querySelectorAll('section.cmp')].map((s) => s.id),
    note: (document.querySelector('#left-out') || { textContent: '' }).textContent,
  }));
  const total = c.json.length;
  const shown = Math.min(total, c.max_matches);
  assert(facts.scores.length === shown, `${where}: ${facts.scores.length} summary rows, want ${shown}`);
  assert(facts.sections.length === shown, `${where}: ${facts.sections.length} sections, want ${shown}`);
  for (let i = 1; i < facts.scores.length; i++) {
    assert(facts.scores[i - 1] >= facts.scores[i], `${where}: summary not sorted by score`);
  }
  const want = [...c.json.map((v) => v.score)].sort((a, b) => b - a).slice(0, shown);
  facts.scores.forEach((s, i) => assert(Math.abs(s - want[i]) < 1e-6, `${where}: row ${i + 1} score ${s}, want ${want[i]}`));
  assert(facts.links.join() === facts.sections.map((s) => `#${s}`).join(), `${where}: summary links ${facts.links} vs sections ${facts.sections}`);
  if (total > shown) {
    assert(facts.note.includes(`${total - shown} more`), `${where}: note "${facts.note}" does not say ${total - shown} left out`);
  } else {
    assert(facts.note === '', `${where}: a left-out note with nothing left out`);
  }
  // A summary link brings its section into view.
  const last = facts.sections[facts.sections.length - 1];
  if (last) {
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.locator(`table.summary a[href="#${last}"]`).click();
    const top = await page.evaluate((id) => document.getElementById(id).getBoundingClientRect().top, last);
    assert(Math.abs(top) < 5, `${where}: summary link to ${last} left it at ${top}px`);
  }
  // Each shown section is one of the JSON lines; match them by file names.
  const matched = [];
  for (const id of facts.sections) {
    const sel = `section#${id}`;
    const f = await sectionFacts(page, sel);
    const v = c.json.find((j) => j.source === f.files[0] && j.derived === f.files[1] && !matched.includes(j));
    assert(v, `${where}: section ${id} (${f.files.join(' vs ')}) matches no JSON line`);
    matched.push(v);
    checkSpans(f, v, `${where} ${id}`);
  }
  return matched.map((v, i) => [`section#${facts.sections[i]}`, v]);
}

const { context, close } = await launch();
let passed = 0, failed = 0;
try {
  for (const c of manifest.cases) {
    const where = c.name;
    const page = await context.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('console', (m) => { if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`); });
    page.on('dialog', (d) => { problems.push(`dialog: ${d.message()}`); d.dismiss().catch(() => {}); });
    const url = pathToFileURL(c.html).href;
    page.on('request', (r) => { if (r.url() !== url) problems.push(`request: ${r.url()}`); });
    try {
      await page.goto(url);
      await checkInert(page, where);
      let sections;
      if (c.many) {
        sections = await checkMany(page, c, where);
      } else {
        assert(c.json.length === 1, `${where}: one JSON line expected`);
        const f = await sectionFacts(page, 'section#c0');
        assert(f.files[0] === c.json[0].source && f.files[1] === c.json[0].derived, `${where}: file names shown as ${f.files}`);
        checkSpans(f, c.json[0], where);
        sections = [['section#c0', c.json[0]]];
      }
      for (const [sel, v] of sections.slice(0, 3)) await checkClicks(page, sel, v, `${where} ${sel}`);
      await checkPrint(page, where);
      await checkInert(page, `${where} (after clicks)`);
      assert(problems.length === 0, `${where}: ${problems.join('; ')}`);
      const spans = c.json.reduce((a, v) => a + v.spans.length, 0);
      console.log(`ok ${where}: ${c.json.length} comparison(s), ${spans} passage(s) checked on both sides`);
      passed++;
    } catch (e) {
      console.log(`FAILED ${where}: ${e.message}`);
      failed++;
    } finally {
      await page.close();
    }
  }
} finally {
  await close();
}
console.log(`browser checks: ${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
