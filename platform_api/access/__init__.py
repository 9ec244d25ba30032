"""Who may do what: the access rules of every route and of the records behind them."""
