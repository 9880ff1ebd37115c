// The views, and which a role is offered (the API still decides what each caller may do). The four roles of
// the APIs carry the tasks: an operator enters data, plans and runs reform activities; an evaluator verifies.

import { activities } from "./activities.js";
import { admin } from "./admin.js";
import { culture } from "./culture.js";
import { entry } from "./entry.js";
import { overview } from "./overview.js";
import { planning } from "./planning.js";
import { quality } from "./quality.js";
import { queue } from "./queue.js";
import { reform } from "./reform.js";
import { scorecard } from "./scorecard.js";

export const VIEWS = { overview, scorecard, entry, queue, planning, activities, reform, culture, quality, admin };

const BY_ROLE = {
  viewer: ["overview", "scorecard", "reform", "culture", "quality"],
  operator: ["entry", "overview", "scorecard", "planning", "activities", "reform", "culture", "quality"],
  evaluator: ["queue", "overview", "scorecard", "reform", "culture", "quality", "admin"],
  admin: ["overview", "scorecard", "entry", "queue", "planning", "activities", "reform", "culture", "quality", "admin"],
};

export const viewsFor = (role) => BY_ROLE[role] || BY_ROLE.viewer;
