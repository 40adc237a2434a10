import { describe, expect, it } from 'vitest';
import {
  escapeAttribute,
  escapeHtml,
  escapeJsString,
  escapeUrlComponent,
  html,
  safeUrl,
  trustedHtml,
} from './escape.js';

describe('context-aware escaping', () => {
  it('escapes HTML text and quoted attributes', () => {
    expect(escapeHtml(`<img src=x onerror="alert('1')">&`)).toBe(
      '&lt;img src=x onerror=&quot;alert(&#x27;1&#x27;)&quot;&gt;&amp;',
    );
    expect(escapeHtml(undefined)).toBe('');
  });

  it('escapes unquoted attribute values so no space, quote or = breaks out', () => {
    expect(escapeAttribute('x onmouseover=alert(1)')).toBe('x&#x20;onmouseover&#x3D;alert&#x28;1&#x29;');
  });

  it('escapes JavaScript strings, also against </script> and line separators', () => {
    expect(escapeJsString(`'";</script>\u2028`)).toBe('\\x27\\x22\\x3b\\x3c\\x2fscript\\x3e\\u2028');
  });

  it('encodes URL components', () => {
    expect(escapeUrlComponent("a b&c=d/é!'()*")).toBe('a%20b%26c%3Dd%2F%C3%A9%21%27%28%29%2A');
  });

  it('replaces dangerous URL schemes with #', () => {
    for (const url of [
      'javascript:alert(1)',
      ' JaVaScRiPt:alert(1)',
      'java\tscript:alert(1)',
      'data:text/html,<x>',
      'vbscript:x',
      '\u0001javascript:x',
    ]) {
      expect(safeUrl(url), JSON.stringify(url)).toBe('#');
    }
    for (const url of [
      'https://example.com/a?b=c',
      '/relative/path',
      'page#frag',
      'mailto:a@example.com',
      './a:b',
    ]) {
      expect(safeUrl(url)).toBe(url);
    }
  });
});

describe('html tagged template', () => {
  it('escapes interpolations in text', () => {
    const name = '<script>alert(1)</script>';
    expect(html`<p>${name}</p>`.toString()).toBe('<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>');
  });

  it('keeps quoted attributes closed', () => {
    expect(html`<div title="${'" onclick="x'}">`.toString()).toBe('<div title="&quot; onclick=&quot;x">');
  });

  it('escapes unquoted attributes and neutralises javascript: in href', () => {
    expect(html`<a href=${'javascript:alert(1)'}>x</a>`.toString()).toBe('<a href=&#x23;>x</a>');
    expect(html`<a href="${'javascript:alert(1)'}">x</a>`.toString()).toBe('<a href="#">x</a>');
    expect(html`<input value=${'a b'}>`.toString()).toBe('<input value=a&#x20;b>');
  });

  it('joins arrays, nests templates and drops null, undefined and false', () => {
    const items = ['<a>', 'b'];
    expect(
      html`<ul>${items.map((item) => html`<li>${item}</li>`)}</ul>${null}${undefined}${false}`.toString(),
    ).toBe('<ul><li>&lt;a&gt;</li><li>b</li></ul>');
  });

  it('refuses interpolations in script contexts, where HTML escaping is not enough', () => {
    expect(() => html`<button onclick="go(${'x'})">`).toThrowError(/event handler/);
    expect(() => html`<script>const user = ${'x'};</script>`).toThrowError(TypeError);
    expect(() => html`<style>body { color: ${'red'} }</style>`).toThrowError(TypeError);
    expect(html`<script src="/app.js"></script><p>${'after'}</p>`.toString()).toBe(
      '<script src="/app.js"></script><p>after</p>',
    );
    expect(html`<script src="${'/a.js'}"></script>`.toString()).toBe('<script src="/a.js"></script>');
    expect(() => html`<script>${'a'}${'b'}</script>`).toThrowError(TypeError);
  });

  it('takes linear time on long templates (each context is judged on the literal before it)', () => {
    const rows = Array.from(
      { length: 20_000 },
      (_, index) => html`<tr><td title="${index}">${index}</td></tr>`,
    );
    expect(html`<table>${rows}</table>`.toString().split('<tr>')).toHaveLength(20_001);
  });

  it('inserts trustedHtml unchanged, and only branded values', () => {
    expect(html`${trustedHtml('<b>ok</b>')}`.toString()).toBe('<b>ok</b>');
    expect(html`${{ toString: () => '<b>x</b>' }}`.toString()).toBe('&lt;b&gt;x&lt;/b&gt;');
  });
});
