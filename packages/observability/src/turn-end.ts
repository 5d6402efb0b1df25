/**
 * Work done once at the end of the current event-loop turn, in the order it was asked for: the
 * observers of the responses that ended during the turn, then the writing of the log lines they
 * made. One `setImmediate` per turn for all of it; work asked for while it runs (a destination
 * the observers wrote to) runs in the same pass, not a turn later.
 */
const tasks: Array<() => void> = [];
let pending = false;

export function atTurnEnd(task: () => void): void {
  tasks.push(task);
  if (!pending) {
    pending = true;
    setImmediate(runTasks);
  }
}

function runTasks(): void {
  for (let i = 0; i < tasks.length; i++) {
    try {
      tasks[i]!();
    } catch (error) {
      // not the loop's problem: reported as an uncaught exception, after the other tasks ran
      process.nextTick(() => {
        throw error;
      });
    }
  }
  tasks.length = 0;
  pending = false;
}
