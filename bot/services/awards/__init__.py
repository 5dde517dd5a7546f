"""The year-end award vote (bình xét, suy tôn) by secret ballot: preparing it from the
year ranking (prepare), opening it (opening), the ballot (ballot), the clock's reminders
and close (schedule, closing), the count (tally), the results, verification and the
documents (results, verify, record, minutes, proposal). Why the ballots cannot be traced
to their units: storage.awards.tables and the README's "The year-end award vote"."""
