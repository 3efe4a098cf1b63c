# The engine's texts: timelines, cards, turn summaries, the score, the after-action report
# and the terminal game. Japanese: ../ja/game.ftl (the same ids).

## Units

unit-hours = { $n } h
unit-days = { $n } d

## Channels an event reaches the players through

channel-news = News
channel-social-media = Social media
channel-store-staff = Store staff
channel-support-desk = Support desk
channel-press = Press
channel-regulator = Regulator
channel-internal = Internal

## Timeline lines

line-event = [{ $channel }] { $title }
line-took = Took “{ $label }”
line-stopped = Stopped “{ $label }”
line-in-effect = “{ $label }” is now in effect
line-no-answer = No answer on “{ $title }”: { $option } (the default)
line-decided = Decided “{ $title }”: { $option }
line-why = Why: { $text }
line-facilitator = Facilitator: { $act }

## The players' moves

action-take = take “{ $label }”
action-stop = stop “{ $label }”
action-choose = “{ $title }”: { $option }
# A choice in the what-if list: the turn and the move.
choice-label = { $turn }: { $action }

## Turn summaries and score drivers

# A cause of a metric's change with its size: "+120 event “…”".
change-cause = { $delta } { $cause }
# A cause behind a score component: "+120 from event “…”".
driver-line = { $delta } from { $cause }

## Causes of a metric's change

cause-inject = event “{ $title }”
cause-decision = decision “{ $title }”: { $option }
cause-cost = cost of “{ $label }”
cause-take = taking “{ $label }”
cause-activate = “{ $label }” taking effect
cause-ongoing = “{ $label }” in force
cause-stop = stopping “{ $label }”
cause-reset = per-turn reset
cause-facilitator = the facilitator's change

## Mitigation cards

badge-available = available
badge-locked = locked
badge-at-turn-end = takes effect as the turn ends
badge-from = in effect from { $turn }
badge-too-late = too late to take effect
badge-active = ACTIVE
badge-done = done
card-take = Take
card-take-back = Take back
card-propose = Propose
card-switch-off = Switch off
card-points = { $n } pt
card-no-money = no money
card-lead = works after { $time }
card-at-once = works at once
card-toggle = can be switched off

## Why a move cannot be made

lock-finished = the game is over
lock-active = already active
lock-pending = already under way
lock-done = already done
lock-requires = needs “{ $label }” first
lock-unavailable = not available now: { $why }
lock-not-now = not available now
lock-needs-formula = not available now: needs { $formula }
lock-points = needs { $need ->
    [one] 1 action point
   *[other] { $need } action points
  }; { $left } left this turn
lock-budget = costs { $need }; { $left } left in the budget
lock-not-running = “{ $label }” is not running
lock-one-shot = “{ $label }” is one-shot: it cannot be switched off once under way
lock-no-decision = “{ $title }” is not a decision facing the players this turn
lock-unknown-mitigation = no such mitigation
lock-unknown-decision = no such decision
lock-unknown-option = no such option
lock-unknown-inject = no such event
lock-unknown-metric = no such metric
lock-unknown-dynamic = no such dynamic rule
lock-unknown-intervention = the console cannot do that
lock-no-undo-record = this game keeps no record to take a move back
lock-before-intervention = made before the facilitator's change this turn, so it stays
lock-fired = “{ $title }” has fired and does not repeat
lock-already-due = “{ $title }” is already facing the players this turn
lock-nothing-to-undo = there is no earlier turn to step back to
lock-not-a-number = { $what } is not a finite number
lock-draw-not-a-number = the draw is not a finite number
lock-too-many-records = a turn keeps at most { $n } notes and records

## The facilitator's acts from the console

act-trigger = triggered “{ $title }”
act-suppress = suppressed “{ $title }” from here on
act-allow = let “{ $title }” fire again
act-set-metric = set { $metric } to { $value }
act-set-a-metric = set a metric
act-roll-low = fixed this turn's roll of “{ $label }” at { $percent }% (low end)
act-roll-middle = fixed this turn's roll of “{ $label }” at { $percent }% (middle)
act-roll-high = fixed this turn's roll of “{ $label }” at { $percent }% (high end)
act-stepped-back = stepped back from { $from } to { $to }
act-end-of-game = the end of the game
act-time-up = time ran out: the turn ended with the moves made so far

## The facilitator's console: where each event stands

inject-suppressed = suppressed
inject-due = facing the players
inject-not-yet = not yet
inject-fired = fired ×{ $n }

## Team results compared (ttx compare)

compare-heading = { $title } — { $n ->
    [one] 1 team
   *[other] { $n } teams
  }
compare-mixed-seeds = {" "}(different seeds: their random events differed)
compare-col-rank = rank
compare-col-team = team
compare-col-score = score
compare-col-grade = grade
compare-col-moves = moves
compare-col-diverged = first differed from the leader
compare-leader = (leader)
compare-same-moves = same moves
compare-unfinished = { $note } (unfinished)
compare-best-on = best on { $component }: { $team } ({ $value })

## The after-action report

report-title = After-action report: { $title }
report-workshop-title = Workshop report: { $title }
report-workshop-team = { $rank }. Team { $team }
# Markdown: the seed, the turns played, the score, the grade and the verdict.
report-result = Seed { $seed } · { $turns } · score { $score }, grade { $grade }: { $verdict }
report-turns-played = { $n ->
    [one] 1 turn played
   *[other] { $n } turns played
  }
report-seed-turns = Seed { $seed } · { $turns ->
    [one] 1 turn
   *[other] { $turns } turns
  }
# HTML: the score (large), the grade and the verdict.
report-score-line = { $score } grade { $grade }: { $verdict }
report-score = Score
report-col-component = component
report-col-value = value
report-col-points = points
report-points-of = { $points } of { $max }
report-choices = What the choices were worth
report-choices-help = Each choice replayed away on the same seed:
report-choice = { $delta } points: { $choice }
report-timeline = Timeline
report-compared = Compared
report-col-you = you ({ $score })
report-col-history = history ({ $score })
report-col-best = best strategy found ({ $score })
report-metrics-over-time = Metrics over time
report-series-you = you
report-series-history = history
report-series-best = best strategy found
report-questions = Discussion questions
report-plan = Improvement plan
report-col-finding = finding
report-col-owner = owner
report-col-due = due date

## The terminal game (ttx play --text, replay, report)

cli-turn = ══ Turn { $n }/{ $total }: { $label } ══
cli-metrics = Metrics:
cli-points = Action points left: { $n }
cli-points-budget = Action points left: { $n }, budget left { $money }
cli-mitigations = Mitigations:
cli-locked = locked: { $why }
cli-decision = Decision “{ $title }” ({ $id }):
cli-chosen = ← chosen
cli-prompt = Your choices (empty line ends the turn, `help` for commands):
cli-help = Commands: N or ID (take a mitigation, or stop it if running) | take ID | stop ID | choose DECISION OPTION | why TEXT (your reason, for the report) | undo | help | empty line: end the turn
cli-nothing-to-undo = nothing to undo
cli-noted = noted
cli-not-noted = not noted: { $why }
cli-done = { $action } ({ $n ->
    [one] 1 action point
   *[other] { $n } action points
  } left)
cli-refused = { $action }: { $why }
cli-no-number = no mitigation number { $n }
cli-no-mitigation = no mitigation `{ $word }`
cli-did-you-mean = { $text } (did you mean `{ $hint }`?)
cli-no-decision = no decision `{ $id }`
cli-no-option = no option `{ $option }` in `{ $decision }`
cli-unreadable = cannot read `{ $line }`; type `help`
cli-what-happened = ── What happened on { $turn } ──
cli-change-why = ({ $why })
cli-list-separator = {"; "}
cli-debrief = ════ Debrief: { $title } ════
cli-score = Score { $score }/100, grade { $grade }: { $verdict }
cli-component = { $points } of { $max } points (value { $value })
cli-choices = What your choices were worth (same seed, replayed without each one):
cli-choice-points = { $delta } points
cli-history = { $label } (same seed): score { $score }, grade { $grade }
cli-col-you = you
cli-col-history-model = history (model)
cli-col-history-real = history (real)
cli-saved = Saved to { $path }
cli-replayed = Replayed { $actions ->
    [one] 1 action
   *[other] { $actions } actions
  } over { $turns ->
    [one] 1 turn
   *[other] { $turns } turns
  }: the log matches ({ $entries ->
    [one] 1 entry
   *[other] { $entries } entries
  }).
cli-wrote = wrote { $md } and { $html }

cohort-title = Cohort report: { $title }
cohort-summary = { $teams ->
    [one] One team
   *[other] { $teams } teams
} in { $sessions ->
    [one] one workshop
   *[other] { $sessions } workshops
}: mean score { $mean }, median { $median }, from { $low } to { $high }.
cohort-teams = Teams by score
cohort-measures = Measures taken
cohort-decisions = Decisions
cohort-lessons = Lessons: teams that did what each one teaches
cohort-col-team = team (workshop)
cohort-col-score = score
cohort-col-grade = grade
cohort-col-measure = measure
cohort-col-taken = teams that took it
cohort-col-first-turn = first taken on
cohort-share = { $n } of { $of } ({ $pct }%)
cohort-faced = { $n ->
    [one] one team faced it
   *[other] { $n } teams faced it
}
cohort-by-default = { $n } by default
cohort-did = { $share }
cohort-unfinished = { $n ->
    [one] One team has not finished: its score is so far.
   *[other] { $n } teams have not finished: their scores are so far.
}
cohort-no-decisions = No team has reached a decision yet.
cohort-roles = Roles: who did what
cohort-col-role = role
cohort-col-made = moves made
cohort-col-proposed = proposed to another role
cohort-col-accepted = proposals accepted
cohort-col-declined = proposals declined
cohort-record = { $team }: the table's record
cohort-deed-proposed = proposed { $what }
cohort-deed-accepted = accepted { $what }, proposed by { $proposer }
cohort-deed-declined = declined { $what }, proposed by { $proposer }
cohort-deed-voted = the team's vote chose { $what }
cohort-deed-vote-default = the team's vote ended in a tie or without votes: { $what } (the default)
report-deeds = Who did what at the table

## An inject in its medium (a post, an article, a ticket queue)

media-anonymous = Anonymous account
media-to-team = Incident team
media-reach-post = Reposts { $reposts } · Likes { $likes }
media-reach-article = Shared { $n } times
media-reach-tickets = { $n } open tickets
