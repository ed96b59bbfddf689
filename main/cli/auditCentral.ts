import { type AnchorVerdict, verifyAgainstAnchors } from '../../core/auditChain';
import { AppError } from '../../core/errors';
import { fetchAnchorHistory } from '../../sync/auditAnchor';
import { type FhirClient, FhirClientError } from '../../sync/fhirClient';
import { type AuditCliContext, EXIT, verifyCommand } from './auditCommands';
import { terminalSafe } from './terminalText';

/**
 * `audit verify --central <url>`: the local check, then the chain against the heads this device
 * sent the central record (sync/auditAnchor.ts, issue #10 item 5). The local chain is an unkeyed
 * hash with its head in the same file, so a rewrite by someone with the data key verifies locally;
 * only the anchors, held outside the device, show it. Exit 2 when either check finds a break.
 */
export async function verifyCentralCommand(ctx: AuditCliContext, client: FhirClient): Promise<number> {
  const local = await verifyCommand(ctx);
  if (local !== EXIT.ok) return local;
  let anchors;
  try {
    anchors = await fetchAnchorHistory(client, ctx.deviceId);
  } catch (error) {
    const why = error instanceof FhirClientError ? error.message : 'The central record could not be read.';
    throw new AppError('offline', `The local check above is done, but the central check could not be made: ${why}`);
  }
  if (anchors.length === 0) {
    await ctx.output.out(
      `The central record holds no chain anchor for device ${terminalSafe(ctx.deviceId)}: nothing could be checked against it ` +
        '(the device has not synced since anchors were introduced, or this is not its device id).\n',
    );
    return EXIT.ok;
  }
  const verdict = verifyAgainstAnchors(ctx.log, anchors);
  await ctx.output.out(anchorText(verdict, anchors.length));
  return verdict.ok ? EXIT.ok : EXIT.broken;
}

function anchorText(verdict: AnchorVerdict, total: number): string {
  if (!verdict.ok) {
    const after = verdict.lastGoodSeq > 0 ? `after entry ${verdict.lastGoodSeq} (the last anchor that matches)` : 'since the start of the trail';
    if (verdict.reason === 'rewritten') {
      return (
        `Audit trail REWRITTEN (checked against the central record): entry ${verdict.anchorSeq} no longer has the hash this device ` +
        `sent the central record. An entry ${after}, up to entry ${verdict.anchorSeq}, was changed and the chain recomputed.\n`
      );
    }
    return (
      `Audit trail TRUNCATED (checked against the central record): the central record was sent entry ${verdict.anchorSeq}, ` +
      `but from entry ${verdict.atSeq} on this device no longer holds the trail (entries removed, or the file rolled back).\n`
    );
  }
  const purged = verdict.purged ? `; ${verdict.purged} at entries since delivered and purged (the central copies carry their own chain)` : '';
  const window = verdict.unanchored
    ? `Entries ${verdict.unanchored.fromSeq}–${verdict.unanchored.toSeq} were written after the last anchor: a rewrite of those cannot show ` +
      'until the next sync that gets any signal sends a new one.\n'
    : 'Every entry on this device is covered by an anchor.\n';
  const trails = verdict.otherTrails
    .map(
      (t) =>
        `NOTE: the central record also holds ${t.anchors} anchor(s) of an earlier trail of this device (up to entry ${t.lastSeq}, ` +
        `sent ${terminalSafe(t.lastRecordedAt ?? 'at an unknown time')}). A device starts a new trail only after a wipe or a recovery; ` +
        'if neither happened then, treat this trail as rewritten from its first entry.\n',
    )
    .join('');
  return (
    `Central anchors OK: ${verdict.checked} of ${total} anchors match this device's chain, the latest at entry ${verdict.lastAnchoredSeq}${purged}.\n` +
    window +
    trails
  );
}
