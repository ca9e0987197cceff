// Package action holds the GitHub Action's step script (lint.sh, used by
// action.yml at the repository root) and the test that runs the action's
// steps in a fake GitHub environment. It has no Go code of its own.
package action
