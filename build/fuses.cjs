// Electron fuses for the packaged OnScene (issue #16), flipped by build/afterPack.cjs on the
// unpacked app before electron-builder signs it (a flip after signing would break the signature).
// https://www.electronjs.org/docs/latest/tutorial/fuses
'use strict';
const path = require('node:path');
const { FuseV1Options, FuseVersion, flipFuses, getCurrentFuseWire } = require('@electron/fuses');

// The wire's bytes: ASCII '1' on, '0' off, 'r' removed (@electron/fuses' FuseState).
const ENABLE = 0x31;
const DISABLE = 0x30;
const REMOVED = 0x72;

/**
 * What each fuse must be. Asar integrity validation is checked by Electron on macOS and Windows
 * only (electron-builder embeds the hashes there); on Linux Electron does not support it, so it
 * stays as shipped rather than claimed.
 */
function fuseConfigFor(platform) {
  return {
    version: FuseVersion.V1,
    // ELECTRON_RUN_AS_NODE would turn the signed binary into a general Node.js interpreter.
    [FuseV1Options.RunAsNode]: false,
    [FuseV1Options.EnableCookieEncryption]: true,
    // NODE_OPTIONS and --inspect would let anyone with a shortcut inject code or a debugger.
    [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
    [FuseV1Options.EnableNodeCliInspectArguments]: false,
    [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: platform === 'win32' || platform === 'darwin',
    // Only app.asar: a resources/app folder dropped beside it is never loaded.
    [FuseV1Options.OnlyLoadAppFromAsar]: true,
    // The page is served from app://onscene/, so file:// needs no extra privileges.
    [FuseV1Options.GrantFileProtocolExtraPrivileges]: false,
    resetAdHocDarwinSignature: platform === 'darwin' && process.arch === 'arm64',
  };
}

/** The Electron executable electron-builder left in appOutDir (same rule as its own addElectronFuses). */
function electronBinaryOf(context) {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'linux') return path.join(appOutDir, packager.executableName);
  if (electronPlatformName === 'win32') return path.join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return path.join(appOutDir, `${packager.appInfo.productFilename}.app`);
  throw new Error(`OnScene does not package for ${electronPlatformName}`);
}

/** The fuses that do not read as configured, by name; [] when all hold. */
async function fuseMismatches(binary, config) {
  const wire = await getCurrentFuseWire(binary);
  const problems = [];
  for (const [key, wanted] of Object.entries(config)) {
    const index = Number(key);
    if (!Number.isInteger(index)) continue; // version, resetAdHocDarwinSignature
    const expected = wanted ? ENABLE : DISABLE;
    if (wire[index] !== expected) problems.push(`${FuseV1Options[index]} is ${wire[index] === ENABLE ? 'on' : wire[index] === DISABLE ? 'off' : 'missing'}`);
  }
  return problems;
}

/**
 * Flips the fuses, reads them back and fails the packaging if any did not take. A fuse this
 * Electron marks removed ('r') fails it too: flipping it is a no-op, so what it guarded must be
 * looked at again before release.
 */
async function applyFuses(binary, platform) {
  const config = fuseConfigFor(platform);
  const before = await getCurrentFuseWire(binary);
  const removed = Object.keys(config).filter((key) => Number.isInteger(Number(key)) && before[key] === REMOVED);
  if (removed.length > 0) throw new Error(`This Electron has removed fuses OnScene sets: ${removed.map((k) => FuseV1Options[k]).join(', ')}`);
  await flipFuses(binary, config);
  const problems = await fuseMismatches(binary, config);
  if (problems.length > 0) throw new Error(`Electron fuses did not take on ${binary}: ${problems.join(', ')}`);
  return config;
}

module.exports = { applyFuses, electronBinaryOf, fuseConfigFor, fuseMismatches };
