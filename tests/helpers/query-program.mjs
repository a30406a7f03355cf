// A program that asks its terminal what vim, fish and many prompts ask (cursor position, device
// attributes, background colour), then counts the answers it reads until a line `done` comes:
// it prints `REPLIES cpr=N da=N osc=N`. Used to check that exactly one terminal answers.
process.stdin.setRawMode(true);
let buf = '';
process.stdin.on('data', (d) => {
  buf += d.toString('latin1');
  if (!buf.includes('done')) return;
  const count = (re) => (buf.match(re) ?? []).length;
  process.stdout.write(`\r\nREPLIES cpr=${count(/\x1b\[\d+;\d+R/g)} da=${count(/\x1b\[\?[\d;]*c/g)} osc=${count(/\x1b\]11;rgb:[0-9a-f/]+(\x07|\x1b\\)/g)}\r\n`);
  process.exit(0);
});
process.stdout.write('\x1b[6n\x1b[c\x1b]11;?\x1b\\QUERIES-SENT\r\n');
