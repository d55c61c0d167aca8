// Copies non-TypeScript assets next to the compiled code: the HTML report's inline CSS and
// script (with the components the console shares), the console's stylesheet and script, data
// files (documentation samples), and the JSON report schema (`sasquatch report` validates its
// input against it).
import { cpSync } from 'node:fs';
cpSync('src/report/html/assets', 'dist/report/html/assets', { recursive: true });
cpSync('src/serve/assets', 'dist/serve/assets', { recursive: true });
cpSync('src/analyze/data', 'dist/analyze/data', { recursive: true });
cpSync('docs/report.schema.json', 'dist/report/report.schema.json');
