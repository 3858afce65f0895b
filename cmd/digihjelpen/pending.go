package main

import (
	"context"
	"fmt"
)

// These commands arrive with their issues (mail intake, routing). Until then they
// say so and fail, so that no script mistakes them for having worked.

func runImport(context.Context, []string, env) error {
	return fmt.Errorf("«import» er ikke tilgjengelig ennå (kommer med e-postinntaket)")
}

func runRules(context.Context, []string, env) error {
	return fmt.Errorf("«rules» er ikke tilgjengelig ennå (kommer med rutingsreglene)")
}
