import type { Rule } from '../detect/types.js';
import { renderJson } from './json.js';
import { renderSarif } from './sarif.js';
import { renderText } from './text.js';
import type { RenderOptions, ReportFormat, ReportInput } from './types.js';

export function render(format: ReportFormat, input: ReportInput, opts: RenderOptions, rules?: readonly Rule[]): string {
  switch (format) {
    case 'json':
      return renderJson(input);
    case 'sarif':
      return renderSarif(input, rules);
    default:
      return renderText(input, opts);
  }
}
