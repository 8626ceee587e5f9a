import type { Refusal, RefusalCode } from '../refusal';

/** A decider as this library shapes it: decide with a context, evolve, an initial state. */
export interface Decider<Command, Event, State, Context> {
  decide(command: Command, state: State, context: Context): Event[] | Refusal;
  evolve(state: State, event: Event): State;
  initialState(): State;
}

/**
 * Emmett-style given/when/then: `given(events, context).when(command).then(events)` or
 * `.thenRefuses(code, field)`. `then` also folds the decided events, so every spec exercises evolve.
 */
export function deciderSpecification<Command, Event, State, Context>(decider: Decider<Command, Event, State, Context>) {
  return {
    given(events: readonly Event[], context: Context) {
      const state = events.reduce(decider.evolve, decider.initialState());
      return {
        when(command: Command) {
          const result = decider.decide(command, state, context);
          return {
            then(expected: readonly Event[]): State {
              expect(result).toEqual(expected);
              return (result as Event[]).reduce(decider.evolve, state);
            },
            thenRefuses(code: RefusalCode, field: string): Refusal {
              expect(result).toMatchObject({ code, field });
              return result as Refusal;
            },
          };
        },
      };
    },
  };
}
