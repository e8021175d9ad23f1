// Screenshot of a report: node screenshot.mjs REPORT.html OUT.png [--click N] [--print]
// --click N selects passage N (as a click on its row in the table would);
// --print renders with the print style sheet.
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { launch } from './browser.mjs';

const [html, png, ...rest] = process.argv.slice(2);
if (!html || !png) {
  console.error('usage: node screenshot.mjs REPORT.html OUT.png [--click N] [--print] [--full]');
  process.exit(2);
}
const click = rest.includes('--click') ? rest[rest.indexOf('--click') + 1] : null;
const { context, close } = await launch({ width: 1440, height: 960 });
try {
  const page = await context.newPage();
  await page.goto(pathToFileURL(resolve(html)).href);
  if (rest.includes('--print')) await page.emulateMedia({ media: 'print' });
  if (click) {
    await page.click(`section.cmp tr[data-go="${click}"] td:nth-child(2)`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.mouse.move(0, 0);
  }
  await page.screenshot({ path: png, fullPage: rest.includes('--full') });
} finally {
  await close();
}
