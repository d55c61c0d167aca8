import type { Rule } from '../detect/types.js';
import { renderGithub } from './github.js';
import { renderHtml } from './html/index.js';
import { renderJson, renderJsonl } from './json.js';
import { renderJunit } from './junit.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { RenderOptions, ReportFormat, ReportInput } from './types.js';

export function render(format: ReportFormat, input: ReportInput, opts: RenderOptions, rules?: readonly Rule[]): string {
  switch (format) {
    case 'json':
      return renderJson(input);
    case 'jsonl':
      return renderJsonl(input);
    case 'sarif':
      return renderSarif(input, rules);
    case 'github':
      return renderGithub(input);
    case 'junit':
      return renderJunit(input, opts.failOn);
    case 'html':
      return renderHtml(input);
    default:
      return renderText(input, opts);
  }
}
