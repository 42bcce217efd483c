"""Parents' consent to a student's participation: per student and school year, given by a linked
parent in the bot or marked by the school's curator from a signed paper form; withdrawable."""
