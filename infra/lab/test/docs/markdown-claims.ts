import GithubSlugger from 'github-slugger';
import type { Nodes } from 'mdast';
import { fromMarkdown } from 'mdast-util-from-markdown';
import { toString as textOf } from 'mdast-util-to-string';
import { visit } from 'unist-util-visit';

/** A link target as written: `../docs/lab.md#exit-codes`, `#commands`, `https://...`. */
export interface DocLink {
  line: number;
  url: string;
}

/** Text a reader would type or copy: a code span, or one command line of a shell block. */
export interface DocCode {
  line: number;
  text: string;
  /**
   * `span` inline; `shell` a command line of a shell block; `text` a line of an untyped block
   * (a layout, sample output): its paths count, its words are not commands.
   */
  kind: 'span' | 'shell' | 'text';
  /**
   * The word after `loadgen` in the heading of the section this sits in (`### \`loadgen url
   * <url>\`` → `url`), so that a flag listed there bare (`-c, --connections <n>`) is checked
   * against that command.
   */
  sectionCommand: string | undefined;
}

export interface ParsedDoc {
  links: DocLink[];
  code: DocCode[];
  /** The anchors GitHub gives the doc's headings. */
  anchors: Set<string>;
}

/** Shell blocks, and untyped ones (layouts, sample output); not ts or json code. */
const SHELL_LANGS = new Set<string | null | undefined>(['sh', 'bash', 'shell', 'console']);
const TEXT_LANGS = new Set<string | null | undefined>([null, undefined, 'text']);

/** A shell block's command lines: `\`-continued lines joined, each with the line it starts on. */
function commandLines(value: string, firstLine: number): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  let pending: { line: number; text: string } | undefined;
  value.split('\n').forEach((raw, i) => {
    const continued = raw.trimEnd().endsWith('\\');
    const text = continued ? raw.trimEnd().slice(0, -1) : raw;
    if (pending) pending.text += ` ${text}`;
    else pending = { line: firstLine + i, text };
    if (!continued) {
      out.push(pending);
      pending = undefined;
    }
  });
  if (pending) out.push(pending);
  return out;
}

export function parseDoc(markdown: string): ParsedDoc {
  const tree = fromMarkdown(markdown);
  const slugger = new GithubSlugger();
  const doc: ParsedDoc = { links: [], code: [], anchors: new Set() };
  let sectionCommand: string | undefined;
  // unist-util-visit walks in document order, so a heading sets the section of what follows it.
  visit(tree, (node: Nodes) => {
    const line = node.position?.start.line ?? 0;
    switch (node.type) {
      case 'heading': {
        const text = textOf(node);
        doc.anchors.add(slugger.slug(text));
        sectionCommand = /\bloadgen ([a-z][\w-]*)/.exec(text)?.[1];
        break;
      }
      case 'link':
      case 'definition':
      case 'image':
        doc.links.push({ line, url: node.url });
        break;
      case 'inlineCode':
        doc.code.push({ line, text: node.value, kind: 'span', sectionCommand });
        break;
      case 'code':
        if (!SHELL_LANGS.has(node.lang) && !TEXT_LANGS.has(node.lang)) break;
        for (const l of commandLines(node.value, line + 1)) {
          doc.code.push({ ...l, kind: SHELL_LANGS.has(node.lang) ? 'shell' : 'text', sectionCommand });
        }
        break;
    }
  });
  return doc;
}
