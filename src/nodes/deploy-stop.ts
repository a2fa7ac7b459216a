/**
 * Whether a deploy stops a node, read from the runtime's `flows:stopping` announcement (made before any node is
 * closed). Nodes whose work outlives a deploy end their msgs on it: see the controller's stop.
 */

/** The runtime's `flows:stopping` event: what a deploy is about to stop. */
export interface StoppingInfo {
  type?: string;
  diff?: { changed?: string[]; removed?: string[]; rewired?: string[]; linked?: string[]; flowChanged?: string[] };
}

/** Whether a deploy of this kind stops the node (the same lists Node-RED's flows.stop uses). */
export function stopsNode(info: StoppingInfo, node: { id: string; z?: string }): boolean {
  if (info.type === 'full' || !info.diff) return true;
  const d = info.diff;
  const ids = [...(d.changed ?? []), ...(d.removed ?? [])];
  if (info.type === 'flows') ids.push(...(d.rewired ?? []), ...(d.linked ?? []));
  if (ids.includes(node.id)) return true;
  return node.z !== undefined && [...(d.flowChanged ?? []), ...(d.removed ?? [])].includes(node.z);
}
