/*
Copyright 2026 The Accord Authors.

Licensed under the Apache License, Version 2.0 (the "License");
you may not use this file except in compliance with the License.
You may obtain a copy of the License at

    http://www.apache.org/licenses/LICENSE-2.0

Unless required by applicable law or agreed to in writing, software
distributed under the License is distributed on an "AS IS" BASIS,
WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
See the License for the specific language governing permissions and
limitations under the License.
*/

// Package argocdhealth runs and packages the Argo CD health checks of the
// Accord kinds. The scripts live in config/argocd/health as .lua files;
// this package runs them the way Argo CD does, for tests, and renders the
// argocd-cm ConfigMap patch that installs them.
package argocdhealth

import (
	"context"
	"fmt"
	"time"

	lua "github.com/yuin/gopher-lua"
)

// Health statuses Argo CD knows (gitops-engine's HealthStatusCode).
const (
	Healthy     = "Healthy"
	Progressing = "Progressing"
	Degraded    = "Degraded"
	Suspended   = "Suspended"
	Missing     = "Missing"
	Unknown     = "Unknown"
)

// Status is what a health script returns.
type Status struct {
	Status  string `json:"status"`
	Message string `json:"message,omitempty"`
}

// timeout is Argo CD's limit on one health script run.
const timeout = time.Second

// Run runs a health script on an object the way Argo CD runs the scripts
// it reads from argocd-cm: a fresh gopher-lua state with only the
// package, base and table libraries (no string or io library, so a script
// that needs them fails here as it would there), the object converted to
// Lua tables as the global obj, a one-second limit, and the returned table
// read as {status, message}. A status Argo CD does not know becomes
// Unknown, as there.
func Run(script string, obj map[string]any) (Status, error) {
	l := lua.NewState(lua.Options{SkipOpenLibs: true})
	defer l.Close()
	for _, lib := range []struct {
		name string
		open lua.LGFunction
	}{{lua.LoadLibName, lua.OpenPackage}, {lua.BaseLibName, lua.OpenBase}, {lua.TabLibName, lua.OpenTable}} {
		if err := l.CallByParam(lua.P{Fn: l.NewFunction(lib.open), NRet: 0, Protect: true}, lua.LString(lib.name)); err != nil {
			return Status{}, fmt.Errorf("open Lua library %q: %w", lib.name, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	l.SetContext(ctx)
	l.SetGlobal("obj", toLua(l, obj))
	if err := l.DoString(script); err != nil {
		return Status{}, fmt.Errorf("run health script: %w", err)
	}
	ret, ok := l.Get(-1).(*lua.LTable)
	if !ok {
		return Status{}, fmt.Errorf("health script returned %s, want a table", l.Get(-1).Type())
	}
	var st Status
	for field, dst := range map[string]*string{"status": &st.Status, "message": &st.Message} {
		switch v := ret.RawGetString(field).(type) {
		case lua.LString:
			*dst = string(v)
		case *lua.LNilType:
		default:
			return Status{}, fmt.Errorf("health script returned %s = %s, want a string", field, v.Type())
		}
	}
	switch st.Status {
	case Healthy, Progressing, Degraded, Suspended, Missing, Unknown:
		return st, nil
	}
	return Status{Status: Unknown, Message: "Lua returned an invalid health status"}, nil
}

// toLua converts a decoded JSON or YAML value into Lua values: objects to
// tables with string keys, lists to arrays (1-based), numbers to numbers.
func toLua(l *lua.LState, v any) lua.LValue {
	switch x := v.(type) {
	case nil:
		return lua.LNil
	case bool:
		return lua.LBool(x)
	case string:
		return lua.LString(x)
	case int:
		return lua.LNumber(x)
	case int32:
		return lua.LNumber(x)
	case int64:
		return lua.LNumber(x)
	case float64:
		return lua.LNumber(x)
	case []any:
		t := l.CreateTable(len(x), 0)
		for _, item := range x {
			t.Append(toLua(l, item))
		}
		return t
	case map[string]any:
		t := l.CreateTable(0, len(x))
		for k, item := range x {
			t.RawSetH(lua.LString(k), toLua(l, item))
		}
		return t
	}
	return lua.LNil
}
