// electron-builder's afterPack hook (electron-builder.yml `afterPack`): runs on the unpacked app,
// before the sanity check and before signing. Flips and verifies the Electron fuses.
'use strict';
const { applyFuses, electronBinaryOf } = require('./fuses.cjs');

module.exports = async function afterPack(context) {
  const binary = electronBinaryOf(context);
  await applyFuses(binary, context.electronPlatformName);
  console.log(`  • OnScene: Electron fuses flipped and verified on ${binary}`);
};
