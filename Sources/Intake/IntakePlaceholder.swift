enum IntakePlaceholder {}
