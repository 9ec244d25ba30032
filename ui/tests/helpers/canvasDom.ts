/**
 * What jsdom lacks for the canvas tests: it measures nothing and observes nothing, and React Flow
 * needs both to draw nodes and edges; the builder's dialogs also need `showModal`/`close`.
 * Call these from `beforeAll` in a test file that runs with `@vitest-environment jsdom`.
 */

/** A ResizeObserver that reports once on observe, a DOMMatrix, and every element sized like a node. */
export function stubCanvasDom(): void {
  class Observer {
    constructor(private readonly callback: ResizeObserverCallback) {}
    observe(target: Element) {
      this.callback([{ target } as ResizeObserverEntry], this as unknown as ResizeObserver);
    }
    unobserve() {}
    disconnect() {}
  }
  class Matrix {
    m22 = 1;
  }
  Object.assign(globalThis, { ResizeObserver: Observer, DOMMatrixReadOnly: Matrix });
  Object.defineProperties(HTMLElement.prototype, {
    offsetWidth: { configurable: true, get: () => 150 },
    offsetHeight: { configurable: true, get: () => 58 },
  });
}

/** `<dialog>` opening and closing, where jsdom does not have them. */
export function stubDialogs(): void {
  HTMLDialogElement.prototype.showModal ??= function (this: HTMLDialogElement) {
    this.open = true;
  };
  HTMLDialogElement.prototype.close ??= function (this: HTMLDialogElement) {
    this.open = false;
  };
}
