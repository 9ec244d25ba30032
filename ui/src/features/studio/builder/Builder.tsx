/**
 * The workflow builder: palette, canvas and side panel around one definition. The definition
 * lives in the builder's store (`useBuilder`); the canvas, the panels and the problems are all
 * drawn from it, and every change is a pure edit recorded for undo. The server checks the
 * definition shortly after each change; its problems land on the nodes, edges and fields they
 * name, and saving waits until there are none. The sandbox beside the canvas chats with a saved
 * version, and its run is painted on this same canvas while it is open.
 */

import { ReactFlowProvider, useReactFlow } from "@xyflow/react";
import { useCallback, useEffect, useMemo, useRef, useState, useSyncExternalStore, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { saveBlob } from "../../../api/download";
import { useServices } from "../../../app/context";
import { ProblemMessage } from "../../../components/ProblemMessage";
import { NODE_SIZES } from "../../../run/graph/layout";
import { markPausedAt } from "../../../run/debug/breakpoints";
import { usePausedAt } from "../../../run/debug/usePausedAt";
import { NO_RUNS } from "../../../run/nodeRuns";
import type { Version } from "../api";
import { useValidation } from "./api";
import { BuilderCanvas } from "./BuilderCanvas";
import { END, START, edgeTargets, type NodeTypePublic, type WorkflowDefinition } from "./definition";
import { EdgePanel } from "./EdgePanel";
import {
  addNode,
  connect,
  declareStateKey,
  giveStateKeyDefault,
  moveNodes,
  NOTHING_SELECTED,
  removeEdge,
  replaceEdge,
  setGraphFields,
  updateNode,
  type Point,
} from "./edits";
import { autoLayout, placeUnplaced, terminalPositions } from "./graph";
import { GraphSettings } from "./GraphSettings";
import { canRedo, canUndo } from "./history";
import { ImportDialog } from "./ImportDialog";
import { NodePanel } from "./NodePanel";
import { Palette } from "./Palette";
import { edgeProblems, localizeProblems, nodeProblems, placeProblems, type ProblemPlace } from "./problems";
import { ProblemsList } from "./ProblemsList";
import { runMarks } from "./sandbox/runMarks";
import { SandboxPanel, type SandboxVersion } from "./sandbox/SandboxPanel";
import { SandboxRuns } from "./sandbox/sandboxRuns";
import { latestTurn } from "./sandbox/session";
import { sameBehaviour } from "./sandbox/unsaved";
import { SaveDialog } from "./SaveDialog";
import { saveBlockedBy, Toolbar } from "./Toolbar";
import { exportDefinition, exportFileName } from "./transfer";
import { useBuilder, useBuilderShortcuts, type Shortcut } from "./useBuilder";
import "./builder.css";

export interface BuilderProps {
  initial: WorkflowDefinition;
  nodeTypes: readonly NodeTypePublic[];
  /** Why the node types are missing (shown in the palette). */
  nodeTypesProblem?: ReactNode;
  /** null: a new agent, created when the first version is saved. */
  agentId: string | null;
  suggestedVersion: string;
  readOnly: boolean;
  /** The page's heading and what is said under it (which version this is, read-only or not). */
  title: string;
  intro?: ReactNode;
  /** The saved version the canvas was opened from (the sandbox runs it); null when there is none. */
  saved?: SandboxVersion | null;
  /** Open the sandbox at once (a draft was just saved from it). */
  sandboxOpen?: boolean;
  /** `sandbox`: the version was saved to run it in the sandbox. */
  onSaved: (agentId: string, version: Version, options?: { sandbox: boolean }) => void;
}

export function Builder(props: BuilderProps) {
  return (
    <ReactFlowProvider>
      <Editor {...props} />
    </ReactFlowProvider>
  );
}

const wide = () =>
  typeof window === "undefined" || !window.matchMedia || window.matchMedia("(min-width: 1024px)").matches;
const FIT = { padding: 0.2, maxZoom: 1.2, duration: 250 };
/** Each opening of the sandbox (or "new sandbox chat") is a session of its own, with its own chat. */
let sandboxSessions = 0;
const nextSandboxSession = () => ++sandboxSessions;

function Editor({
  initial,
  nodeTypes,
  nodeTypesProblem,
  agentId,
  suggestedVersion,
  readOnly,
  title,
  intro,
  saved = null,
  sandboxOpen = false,
  onSaved,
}: BuilderProps) {
  const { t, i18n } = useTranslation("builder");
  const builder = useBuilder(initial);
  const { state, definition, edit, select } = builder;
  const { selection } = state;
  const flow = useReactFlow();
  const canvasRef = useRef<HTMLDivElement>(null);
  const [paletteOpen, setPaletteOpen] = useState(wide);
  const [problemsOpen, setProblemsOpen] = useState(true);
  const [saving, setSaving] = useState<false | "version" | "sandbox">(false);
  const [importing, setImporting] = useState(false);
  const problemsId = "builder-problems";
  const sandboxId = "builder-sandbox";
  const { client } = useServices();
  // The sandbox: null while closed; its session is null until the developer chose what to run.
  const [sandbox, setSandbox] = useState<{ session: number | null } | null>(() =>
    sandboxOpen && saved ? { session: nextSandboxSession() } : null,
  );
  const [runs] = useState(() => new SandboxRuns(client));
  // Leaving the builder closes the sandbox too: its run, if still going, is cancelled.
  useEffect(() => () => runs.close(), [runs]);

  const validation = useValidation(definition, !readOnly);
  // Said in the reader's language (by each problem's code); again when the language changes.
  const language = i18n.resolvedLanguage;
  const problems = useMemo(
    () =>
      validation.result
        ? localizeProblems(placeProblems(validation.result.problems, validation.result.definition, definition), i18n)
        : [],
    // i18n stays the same object when the language changes: `language` re-runs it.
    [validation.result, definition, i18n, language],
  );
  // The terminals follow the nodes' places and the edges, not their configs: no new layout per keystroke.
  const shape = JSON.stringify([
    definition.nodes.map((n) => [n.name, n.position]),
    definition.edges.map((e) => [e.source, edgeTargets(e)]),
  ]);
  const terminals = useMemo(() => terminalPositions(definition), [shape]);
  const typesByName = useMemo(() => new Map(nodeTypes.map((type) => [type.type_name, type])), [nodeTypes]);
  const typeLabel = useCallback(
    (type: string) => t(`studio:names.${type}`, { defaultValue: typesByName.get(type)?.display_name ?? type }),
    [t, typesByName],
  );

  // The canvas shows the sandbox's latest run while the sandbox is open; the run's graph and phase
  // change with node events, not with each streamed word.
  const runGraph = useSyncExternalStore(runs.subscribe, () => latestTurn(runs.getState())?.view.graph ?? null);
  const runPhase = useSyncExternalStore(runs.subscribe, () => latestTurn(runs.getState())?.view.phase ?? null);
  // Paused at a breakpoint: the nodes that run next are marked paused (the debugger is in the sandbox).
  const runExecution = useSyncExternalStore(runs.subscribe, () => latestTurn(runs.getState())?.executionId ?? null);
  const pausedAt = usePausedAt(runExecution, runPhase);
  const marks = useMemo(() => {
    if (!sandbox?.session) return null;
    const painted = runMarks(definition, runGraph ?? NO_RUNS, runGraph ? runPhase : null);
    return pausedAt ? { ...painted, nodes: markPausedAt(painted.nodes, pausedAt) } : painted;
  }, [sandbox?.session, definition, runGraph, runPhase, pausedAt]);
  const nodeNames = useMemo(() => definition.nodes.map((node) => node.name), [definition.nodes]);
  // Unsaved changes that matter to a run (moving nodes around does not).
  const unsaved = useMemo(() => !sameBehaviour(definition, initial), [definition, initial]);
  const saveBlocked = saveBlockedBy({ readOnly, problems: problems.length, checking: validation.checking });
  const openSandbox = () => {
    setSandbox({ session: saved && !unsaved ? nextSandboxSession() : null });
    // On a tablet both are drawers over the canvas: the sandbox's run must stay in view.
    if (window.matchMedia?.("(max-width: 1100px)").matches) setPaletteOpen(false);
  };
  const closeSandbox = () => {
    runs.close();
    setSandbox(null);
  };

  const later = (act: () => void) => requestAnimationFrame(() => requestAnimationFrame(act));
  const fit = () => void flow.fitView(FIT);

  /** The middle of the visible canvas, moved down past nodes already there. */
  const freeSpotInView = (): Point => {
    const rect = canvasRef.current?.getBoundingClientRect();
    const centre = rect
      ? flow.screenToFlowPosition({ x: rect.left + rect.width / 2, y: rect.top + rect.height / 2 })
      : { x: 0, y: 0 };
    const spot = { x: centre.x - NODE_SIZES.node.width / 2, y: centre.y - NODE_SIZES.node.height / 2 };
    const near = (p: Point) =>
      definition.nodes.some(
        (n) =>
          n.position &&
          Math.abs(n.position.x - p.x) < NODE_SIZES.node.width &&
          Math.abs(n.position.y - p.y) < NODE_SIZES.node.height + 40,
      );
    // Room below for the edge (and its label) that will connect them.
    while (near(spot)) spot.y += NODE_SIZES.node.height + 64;
    return spot;
  };
  const add = (type: NodeTypePublic, at: Point = freeSpotInView()) => {
    const { name } = addNode(definition, type.type_name, type.default_config, at);
    edit((d) => addNode(d, type.type_name, type.default_config, at).definition, {
      select: { nodes: [name], edge: null },
    });
  };

  const centreOn = (place: ProblemPlace) => {
    const at = (name: string): Point | null => {
      if (name === START) return terminals.start;
      if (name === END) return terminals.end;
      return definition.nodes.find((n) => n.name === name)?.position ?? null;
    };
    let point: Point | null = null;
    if (place.kind === "node") point = at(place.name);
    if (place.kind === "edge") {
      const edge = definition.edges[place.index];
      const from = edge ? at(edge.source) : null;
      const to = edge ? at(edgeTargets(edge)[0] ?? edge.source) : null;
      point = from && to ? { x: (from.x + to.x) / 2, y: (from.y + to.y) / 2 } : from;
    }
    if (point) {
      void flow.setCenter(point.x + NODE_SIZES.node.width / 2, point.y + NODE_SIZES.node.height / 2, {
        zoom: Math.max(flow.getZoom(), 0.9),
        duration: 300,
      });
    }
  };
  const show = (place: ProblemPlace) => {
    if (place.kind === "node") select({ nodes: [place.name], edge: null });
    else if (place.kind === "edge") select({ nodes: [], edge: place.index });
    else select(NOTHING_SELECTED);
    centreOn(place);
  };

  const shortcut = useCallback(
    (key: Shortcut) => {
      const act = {
        undo: builder.undo,
        redo: builder.redo,
        copy: builder.copy,
        paste: builder.paste,
        delete: builder.remove,
      };
      act[key]();
    },
    [builder.undo, builder.redo, builder.copy, builder.paste, builder.remove],
  );
  useBuilderShortcuts(shortcut, !readOnly && !saving && !importing);

  // Leaving with unsaved changes asks first (closing the tab, reloading).
  const dirty = canUndo(state.history);
  useEffect(() => {
    if (!dirty || readOnly) return;
    const warn = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", warn);
    return () => window.removeEventListener("beforeunload", warn);
  }, [dirty, readOnly]);

  const selectedNode =
    selection.edge === null && selection.nodes.length === 1
      ? definition.nodes.find((n) => n.name === selection.nodes[0])
      : undefined;
  const selectedNodeIndex = selectedNode ? definition.nodes.indexOf(selectedNode) : -1;
  const edgeIndex = selection.nodes.length === 0 ? selection.edge : null;

  let side: ReactNode;
  if (sandbox) {
    side = null;
  } else if (selectedNode) {
    side = (
      <NodePanel
        key={selectedNodeIndex}
        definition={definition}
        node={selectedNode}
        nodeType={typesByName.get(selectedNode.type)}
        problems={nodeProblems(problems, selectedNode.name)}
        readOnly={readOnly}
        onChange={(next) =>
          edit((d) => updateNode(d, selectedNode.name, next), {
            group: `node:${selectedNodeIndex}`,
            select: { nodes: [next.name], edge: null },
          })
        }
        onConnect={(source, target) => edit((d) => connect(d, source, target))}
        onSelectEdge={(index) => select({ nodes: [], edge: index })}
        onDelete={builder.remove}
      />
    );
  } else if (edgeIndex !== null && definition.edges[edgeIndex]) {
    side = (
      <EdgePanel
        key={edgeIndex}
        definition={definition}
        index={edgeIndex}
        problems={edgeProblems(problems, edgeIndex)}
        readOnly={readOnly}
        onChange={(next, group) => edit((d) => replaceEdge(d, edgeIndex, next), { group })}
        onDelete={() => edit((d) => removeEdge(d, edgeIndex), { select: NOTHING_SELECTED })}
      />
    );
  } else if (selection.nodes.length > 1) {
    side = (
      <section className="builder-multi" aria-labelledby="builder-multi-title">
        <h2 id="builder-multi-title" className="builder-panel-title">
          {t("multi.title", { count: selection.nodes.length })}
        </h2>
        <p className="muted">{selection.nodes.join(", ")}</p>
        {readOnly ? null : (
          <p className="builder-actions">
            <button type="button" className="button button--small" onClick={builder.copy}>
              {t("toolbar.copy")}
            </button>
            <button type="button" className="button button--small button--danger-outline" onClick={builder.remove}>
              {t("toolbar.delete")}
            </button>
          </p>
        )}
      </section>
    );
  } else {
    side = (
      <GraphSettings
        definition={definition}
        problems={problems}
        readOnly={readOnly}
        onChange={(patch, group) => edit((d) => setGraphFields(d, patch), { group })}
      />
    );
  }

  return (
    <section className="builder" aria-labelledby="builder-title">
      <header className="builder-head">
        <h1 id="builder-title">{title}</h1>
        {intro}
      </header>
      <Toolbar
        state={{
          readOnly,
          paletteOpen,
          problemsOpen,
          canUndo: canUndo(state.history),
          canRedo: canRedo(state.history),
          canCopy: selection.nodes.length > 0,
          canPaste: (state.clipboard?.nodes.length ?? 0) > 0,
          canDelete: selection.nodes.length > 0 || selection.edge !== null,
          problems: problems.length,
          checking: validation.checking,
          checkFailed: Boolean(validation.error),
          problemsId,
          sandboxOpen: sandbox !== null,
          sandboxId,
        }}
        actions={{
          togglePalette: () => setPaletteOpen((open) => !open),
          toggleProblems: () => setProblemsOpen((open) => !open),
          undo: builder.undo,
          redo: builder.redo,
          copy: builder.copy,
          paste: builder.paste,
          remove: builder.remove,
          layout: () => {
            edit((d) => autoLayout(d));
            later(fit);
          },
          fit,
          importFile: () => setImporting(true),
          exportFile: () =>
            saveBlob(
              new Blob([exportDefinition(definition)], { type: "application/json" }),
              exportFileName(definition),
            ),
          save: () => setSaving("version"),
          toggleSandbox: () => (sandbox ? closeSandbox() : openSandbox()),
        }}
      />
      {validation.error ? (
        <ProblemMessage error={validation.error} context={t("toolbar.checkError")} onRetry={validation.retry} />
      ) : null}
      <div
        className={`builder-body${paletteOpen && !readOnly ? " builder-body--palette" : ""}${sandbox ? " builder-body--sandbox" : ""}`}
      >
        {paletteOpen && !readOnly ? (
          <Palette nodeTypes={nodeTypes} onAdd={(type) => add(type)} problem={nodeTypesProblem} />
        ) : null}
        <div className="builder-stage">
          <BuilderCanvas
            definition={definition}
            selection={selection}
            problems={problems}
            terminals={terminals}
            readOnly={readOnly}
            typeLabel={typeLabel}
            canvasRef={canvasRef}
            onSelect={select}
            onConnect={(source, target) => edit((d) => connect(d, source, target))}
            onMove={(positions) => edit((d) => moveNodes(d, positions))}
            onDropType={(typeName, at) => {
              const type = typesByName.get(typeName);
              if (type) add(type, at);
            }}
            label={t("canvas.label", { name: title })}
            run={marks}
          />
          {problemsOpen && !readOnly ? (
            <ProblemsList
              id={problemsId}
              problems={problems}
              definition={definition}
              readOnly={readOnly}
              onShow={show}
              onFix={({ key, fix }) =>
                edit((d) => (fix === "declare" ? declareStateKey(d, key) : giveStateKeyDefault(d, key)))
              }
            />
          ) : null}
        </div>
        {sandbox ? (
          <SandboxPanel
            id={sandboxId}
            runs={runs}
            target={agentId && saved ? { kind: "developer", agentId, versionId: saved.id } : null}
            saved={saved}
            dirty={unsaved}
            session={sandbox.session}
            saveBlocked={saveBlocked ? t(`toolbar.saveBlocked.${saveBlocked}`, { count: problems.length }) : null}
            onSaveFirst={() => setSaving("sandbox")}
            onRunSaved={() => setSandbox({ session: nextSandboxSession() })}
            onNewChat={() => {
              runs.close();
              setSandbox({ session: nextSandboxSession() });
            }}
            onClose={closeSandbox}
            nodes={nodeNames}
          />
        ) : (
          <aside className="builder-side" aria-label={t("side.label")}>
            {side}
          </aside>
        )}
      </div>
      {readOnly ? null : (
        <>
          <SaveDialog
            open={saving !== false}
            agentId={agentId}
            suggestedVersion={suggestedVersion}
            definition={definition}
            onClose={() => setSaving(false)}
            onSaved={(savedAgent, version) => {
              setSaving(false);
              onSaved(savedAgent, version, { sandbox: saving === "sandbox" });
            }}
          />
          <ImportDialog
            open={importing}
            onClose={() => setImporting(false)}
            onImport={(imported) => {
              edit(() => placeUnplaced(imported), { select: NOTHING_SELECTED });
              setImporting(false);
              later(fit);
            }}
          />
        </>
      )}
    </section>
  );
}
