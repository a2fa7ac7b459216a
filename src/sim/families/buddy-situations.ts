/**
 * Situations a Buddy printer reports differently per firmware generation (facts document §8.1). The model keeps the
 * state 6.3 reported (BUSY for a preheat, ATTENTION for a power-loss recovery); the renderers map it per generation.
 */
import type { SimRuntime } from '../runtime';
import type { SimState } from '../model/types';
import type { SimSituation } from '../types';

const SITUATIONS: readonly SimSituation[] = ['preheat', 'power-loss', 'no-tool'];

export function enterSituation(rt: SimRuntime, situation: SimSituation): void {
  if (!SITUATIONS.includes(situation)) throw new Error(`unknown situation: ${String(situation)} (one of ${SITUATIONS.join(', ')})`);
  const buddy = rt.opts.buddy;
  if (!buddy) throw new Error(`situations are Buddy firmware screens; this printer is ${rt.family}`);
  const running = rt.model.job !== undefined && !rt.model.jobEnded;
  if (!running) throw new Error(`a ${situation} situation needs a running print (${rt.model.state})`);
  if (situation === 'no-tool' && !buddy.model.toolChanger) throw new Error(`the ${buddy.model.name} has no tool changer`);
  // The state change first: it ends any earlier situation.
  if (situation === 'preheat') rt.model.setState('BUSY');
  if (situation === 'power-loss') rt.model.setState('ATTENTION', 'power-loss');
  rt.situation = situation;
}

/** `printer.state` as this printer's generation reports the model's state in the current situation. */
export function reportedState(rt: SimRuntime): SimState {
  const state = rt.model.state;
  const generation = rt.opts.buddy?.generation;
  if (!generation) return state;
  if (rt.situation === 'preheat' && state === 'BUSY') return generation.preheatState;
  if (rt.situation === 'power-loss' && state === 'ATTENTION') return generation.powerLossState;
  return state;
}

/** `printer.flow`: 6.6.x reports the selected tool's, 0 with none picked. */
export function reportedFlow(rt: SimRuntime, flow: number): number {
  return rt.situation === 'no-tool' && rt.opts.buddy?.generation.flowFromSelectedTool ? 0 : flow;
}
