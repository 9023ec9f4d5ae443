/** A user's value quoted for a message, cut when long so a huge cell never floods the terminal. */
export function quoteCut(value: string, max = 40): string {
  if (value.length <= max) return JSON.stringify(value);
  return `${JSON.stringify(value.slice(0, max))}... (${value.length.toLocaleString('en-US')} characters)`;
}
