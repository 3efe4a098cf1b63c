# The engine's texts: timelines, cards, turn summaries, the score, the after-action report
# and the terminal game. Japanese: ../ja/game.ftl (the same ids).

## Units

unit-hours = { $n } h
unit-days = { $n } d
