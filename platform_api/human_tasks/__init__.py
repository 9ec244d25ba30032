"""Human-intervention tasks: the reviewers' inbox (list, claim, release, complete, cancel)."""
