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

// Package reviewpack builds the pack a joint review meeting works from:
// the state of one partnership over a period (agreement, objectives, KPIs
// against their glide paths, conditions and their causes, the latest
// reviews, what changed in the agreement since the last review) and the
// questions the meeting must decide, written as Markdown or as one
// standalone HTML file. It backs `accordctl report`.
//
// Everything shown comes from the objects' spec and the status the
// operator (or accordctl evaluate) wrote, which never holds a Secret or a
// patient-level value; every text is escaped for the format it is written
// in.
package reviewpack
