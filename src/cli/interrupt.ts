/**
 * The first Ctrl-C (or SIGTERM) of a long run asks it to stop with a checkpoint after the current
 * `unit` (episode, iteration); a second one quits at once. `dispose` removes the handlers.
 */
export function interruptRequest(unit: string): { readonly requested: boolean; dispose(): void } {
  let requested = false;
  const onSignal = (): void => {
    if (requested) {
      process.stderr.write(`\nstopped without a checkpoint of the current ${unit}\n`);
      process.exit(130);
    }
    requested = true;
    process.stderr.write(`\ninterrupted: saving a checkpoint after this ${unit} (Ctrl-C again to quit now)\n`);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    get requested() {
      return requested;
    },
    dispose() {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    },
  };
}
