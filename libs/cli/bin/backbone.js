#!/usr/bin/env node
// The `backbone` command of @event-backbone/cli (npx backbone ...).
import '../dist/main.js'
