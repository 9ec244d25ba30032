"""Pure graph layer: IR, expressions, reducers, node types, validation, compiler, Pregel."""
