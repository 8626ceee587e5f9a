import { execFile } from 'node:child_process';

// pdf.js (inside pdf-parse) loads its worker with a dynamic import, which jest's module sandbox
// refuses; plain Node runs it.
const EXTRACT = `
const { PDFParse } = require('pdf-parse');
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk));
process.stdin.on('end', async () => {
  const { text } = await new PDFParse({ data: Buffer.concat(chunks) }).getText();
  process.stdout.write(text);
});`;

/** The text of a PDF as a reader's tool extracts it (to check what a PDF says, not only that it exists). */
export function pdfText(pdf: Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = execFile(process.execPath, ['-e', EXTRACT], { cwd: __dirname, maxBuffer: 64 * 1024 * 1024 }, (error, stdout) =>
      error ? reject(error) : resolve(stdout),
    );
    child.stdin?.end(pdf);
  });
}
