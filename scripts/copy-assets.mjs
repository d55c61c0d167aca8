// Copies non-TypeScript assets (the HTML report's inline CSS and script, data files) next to the compiled code.
import { cpSync } from 'node:fs';
cpSync('src/report/html/assets', 'dist/report/html/assets', { recursive: true });
cpSync('src/analyze/data', 'dist/analyze/data', { recursive: true });
