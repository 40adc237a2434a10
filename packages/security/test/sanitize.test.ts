// Untrusted HTML through sanitize-html with our defaults; vectors from the OWASP XSS filter evasion list.
import { describe, expect, it } from 'vitest';
import { html } from '../src/escape.js';
import { sanitizeHtml } from '../src/sanitize.js';

describe('sanitizeHtml', () => {
  it.each([
    ['<script>alert(1)</script><p>ok</p>', '<p>ok</p>'],
    ['<img src=x onerror=alert(1)>', '<img src="x" />'],
    ['<a href="javascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<a href="jav&#x09;ascript:alert(1)">x</a>', '<a rel="noopener noreferrer nofollow">x</a>'],
    ['<svg><script>alert(1)</script></svg>', ''],
    ['<iframe src="https://evil.test"></iframe>', ''],
    ['<p style="background:url(javascript:alert(1))">t</p>', '<p>t</p>'],
    ['<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>', '<table></table>'],
    [
      '<a href="https://example.com" onclick="x()">link</a>',
      '<a href="https://example.com" rel="noopener noreferrer nofollow">link</a>',
    ],
  ])('cleans %s', (dirty, clean) => {
    expect(sanitizeHtml(dirty).toString()).toBe(clean);
  });

  it('returns SafeHtml the html template inserts as is', () => {
    expect(html`<div>${sanitizeHtml('<b>bold</b><script>x</script>')}</div>`.toString()).toBe(
      '<div><b>bold</b></div>',
    );
  });

  it('takes sanitize-html options', () => {
    expect(sanitizeHtml('<b>x</b><i>y</i>', { allowedTags: ['i'] }).toString()).toBe('x<i>y</i>');
  });
});
