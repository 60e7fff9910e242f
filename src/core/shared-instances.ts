/**
 * One instance per key for the whole page (per backend, per drop): the reason
 * every element of a drop shares one client, one clock and one stream.
 */
export function sharedBy<Args extends string[], T>(make: (...args: Args) => T): (...args: Args) => T {
  const instances = new Map<string, T>();
  return (...args) => {
    const key = args.join('\n');
    let instance = instances.get(key);
    if (instance === undefined) instances.set(key, (instance = make(...args)));
    return instance;
  };
}
