// The CommonJS view of the types: `require('ibanera')`.
import ibanera = require('ibanera');

export async function cjs(client: ibanera.Client): Promise<string> {
  const a: ibanera.Account = await client.accounts.get(1055);
  const err: typeof ibanera.ValidationError = ibanera.ValidationError;
  void err;
  return a.totalBalance;
}
