# The desktop and browser game's screens. Japanese: ../ja/app.ftl (the same ids).
