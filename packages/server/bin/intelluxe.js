#!/usr/bin/env node
// Runs the TypeScript CLI with Node 24's type stripping. Under `npx`/`npm run` the pinned Node 24
// from the `node` devDependency is first on PATH; a system Node older than 22.18 is refused with a message.
const [major, minor] = process.versions.node.split('.').map(Number);
if (major < 22 || (major === 22 && minor < 18)) {
  console.error(
    `intelluxe needs Node.js 24 (found ${process.versions.node}); run it through npm (npx intelluxe) so the pinned Node is used`,
  );
  process.exit(1);
}
const { runProcess } = await import('../src/cli/main.ts');
await runProcess();
