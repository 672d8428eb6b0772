@investigating
Feature: Investigating crime
  HMICFRS found that West Mercia Police did not always consult victims before and after a caution,
  that serious investigations were not always planned or supervised, and that victims were not
  updated regularly. These scenarios say, in the inspectorate's terms, what the INV rules must
  decide for a force's audited records.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @area_for_improvement
  Scenario Outline: The victim is consulted before a caution is given, and the contact is recorded
    Given these out_of_court_disposal records:
      | disposal_ref | disposal_type | given_at         | victim_views_sought_at | victim_views_recorded_at |
      | OOCD-1       | <disposal>    | 2021-03-03T14:00 | <sought>               | <recorded>               |
    When the assessment runs
    Then record OOCD-1 <outcome> rule INV-001

    Examples: a caution, with the victim's views at different times
      | disposal             | sought           | recorded         | outcome              |
      | caution              | 2021-03-02T10:00 | 2021-03-02T10:30 | passes               |
      | conditional_caution  | 2021-03-02T10:00 | 2021-03-02T10:30 | passes               |
      | caution              | 2021-03-02T10:00 | 2021-03-04T09:00 | passes               |
      | caution              |                  | 2021-03-02T10:30 | passes               |
      | caution              |                  | 2021-03-04T09:00 | is not recorded for  |
      | caution              | 2021-03-04T09:00 | 2021-03-04T09:00 | fails                |
      | caution              | 2021-03-02T10:00 |                  | is not recorded for  |
      | caution              |                  |                  | is not recorded for  |
      | community_resolution |                  |                  | is not applicable to |

    @boundary
    Examples: the same minute as the caution counts as before it
      | disposal | sought           | recorded         | outcome |
      | caution  | 2021-03-03T14:00 | 2021-03-03T14:00 | passes  |
      | caution  | 2021-03-03T14:01 | 2021-03-03T14:01 | fails   |

  @area_for_improvement @from_report
  Scenario: A caution whose victim was consulted the day before and whose views were written up the day after
    The report asks that victims be consulted before a caution and the contact recorded; it sets no
    time for the recording. Requiring the views to be recorded before the caution would be the
    pack's stricter reading, so this caution meets the rule.
    Given "the caution rule" is rule INV-001
    And an out_of_court_disposal record "WM/21/0303" with:
      | disposal_type            | caution            |
      | given_at                 | 3 March 2021 14:00 |
      | victim_views_sought_at   | 2 March 2021 10:00 |
      | victim_views_recorded_at | 4 March 2021 09:00 |
    When the assessment runs
    Then the caution rule is met for that record
    And the caution rule is met

  @area_for_improvement
  Scenario: A caution with no identifiable victim, and a victim who could not be reached
    Given these out_of_court_disposal records:
      | disposal_ref | disposal_type | given_at         | victim_identified | victim_contact_attempted_at |
      | NO-VICTIM    | caution       | 2021-03-03T14:00 | false             |                             |
      | UNREACHABLE  | caution       | 2021-03-03T14:00 |                   | 2021-03-01T16:00            |
      | TOO-LATE     | caution       | 2021-03-03T14:00 |                   | 2021-03-05T16:00            |
    When the assessment runs
    Then record NO-VICTIM is not applicable to rule INV-001
    And record UNREACHABLE passes rule INV-001
    And record TOO-LATE is not recorded for rule INV-001

  @area_for_improvement
  Scenario: A caution whose victim's views were never recorded is not recorded, never a pass
    Given an out_of_court_disposal record "OOCD-7" with:
      """
      disposal_type: caution
      given_at: 2021-03-03T14:00:00
      victim_views_sought_at: 2021-03-02T10:00:00
      """
    When the assessment runs
    Then record OOCD-7 is not recorded for rule INV-001 because of its victim_views_recorded_at
    And rule INV-001 has 1 applicable, 0 compliant, 0 non-compliant and 1 not recorded record
    And rule INV-001 is not met

  @area_for_improvement
  Scenario: The victim is told after the caution, not only consulted before it
    Given these out_of_court_disposal records:
      | disposal_ref | disposal_type | victim_identified | given_at         | victim_informed_after_at |
      | OOCD-1       | caution       | true              | 2021-03-03T14:00 | 2021-03-04T09:00         |
      | OOCD-2       | caution       | true              | 2021-03-03T14:00 | 2021-03-01T09:00         |
      | OOCD-3       | caution       | false             | 2021-03-03T14:00 |                          |
      | OOCD-4       | caution       |                   | 2021-03-03T14:00 |                          |
    When the assessment runs
    Then record OOCD-1 passes rule INV-009
    And record OOCD-2 fails rule INV-009
    And record OOCD-3 is not applicable to rule INV-009
    And record OOCD-4 is not recorded for rule INV-009
    And rule INV-009 lists records OOCD-2 and OOCD-4

  @area_for_improvement @boundary
  Scenario Outline: The victim is told of a caution within 5 working days, or 1 if entitled to enhanced rights
    # A caution on Friday 30 April 2021, before the early May bank holiday (Monday 3 May): the first
    # working day after it is Tuesday 4 May and the fifth is Monday 10 May. Told on the bank holiday,
    # the day counts as the Tuesday. With the entitlement not recorded, a telling after the first
    # working day and within the fifth cannot be judged.
    Given an out_of_court_disposal record "OOCD-1" with:
      | disposal_type            | caution          |
      | victim_identified        | true             |
      | given_at                 | 2021-04-30T15:00 |
      | victim_enhanced_rights   | <enhanced>       |
      | victim_informed_after_at | <told>           |
    When the assessment runs
    Then record OOCD-1 <outcome> rule INV-009

    Examples:
      | enhanced | told             | outcome             |
      | false    | 2021-05-10T23:59 | passes              |
      | false    | 2021-05-11T00:00 | fails               |
      | false    | 2021-08-02T10:00 | fails               |
      | true     | 2021-05-03T12:00 | passes              |
      | true     | 2021-05-04T23:59 | passes              |
      | true     | 2021-05-05T09:00 | fails               |
      |          | 2021-05-04T10:00 | passes              |
      |          | 2021-05-06T09:00 | is not recorded for |
      |          | 2021-05-11T09:00 | fails               |
      | false    | 2021-04-30T14:59 | fails               |
      | false    |                  | is not recorded for |

  @area_for_improvement @boundary
  Scenario Outline: A victim not yet told of a caution is not failed before the telling is due
    # A caution on Friday 30 April 2021, before the early May bank holiday: Tuesday 4 May is the first
    # working day after it and Monday 10 May the fifth. The victim has not been told yet.
    Given the assessment date is <assessed>
    And an out_of_court_disposal record "OOCD-1" with:
      | disposal_type          | caution          |
      | victim_identified      | true             |
      | given_at               | 2021-04-30T15:00 |
      | victim_enhanced_rights | <enhanced>       |
    When the assessment runs
    Then record OOCD-1 <outcome> rule INV-009

    Examples:
      | assessed   | enhanced | outcome             |
      | 2021-05-04 | true     | passes              |
      | 2021-05-05 | true     | is not recorded for |
      | 2021-05-04 |          | passes              |
      | 2021-05-05 |          | is not recorded for |
      | 2021-05-10 | false    | passes              |
      | 2021-05-11 | false    | is not recorded for |

  @recommendation
  Scenario Outline: Serious cases that need an investigation plan have one, reviewed by a supervisor
    Given a case_file record "CF-1" with:
      | serious                       | <serious>    |
      | investigation_plan_relevant   | <relevant>   |
      | investigation_plan            | <plan>       |
      | investigation_plan_supervised | <supervised> |
    When the assessment runs
    Then rule INV-002 is <outcome> for record CF-1

    Examples:
      | serious | relevant | plan  | supervised | outcome        |
      | true    | true     | true  | true       | met            |
      | true    | true     | false | false      | not met        |
      | true    | true     | true  | false      | not met        |
      | true    | true     | true  |            | not recorded   |
      | true    | false    |       |            | not applicable |
      | false   | true     | false | false      | not applicable |

  @cause_of_concern @from_report @aggregate
  Scenario: 14 of 66 serious cases ineffectively supervised is a cause of concern
    Given 52 case_file records with:
      """
      serious: true
      supervised_effectively: true
      """
    And 14 case_file records with:
      """
      serious: true
      supervised_effectively: false
      """
    When the assessment runs
    Then rule INV-003 is not met
    And rule INV-003 has 66 applicable, 52 compliant, 14 non-compliant and 0 not recorded records
    And the compliance rate of INV-003 is 78.8%
    And rule INV-003 needs 14 more compliant records

  @recommendation @boundary
  Scenario Outline: Victims are updated with no gap of more than 28 days
    Given a case_file record "CF-1" with:
      | reported_at         | 2020-12-30T10:00 |
      | victim_update_dates | <dates>          |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-004

    Examples:
      | dates                            | outcome             |
      | 2021-01-01;2021-01-29            | passes              |
      | 2021-01-01;2021-01-30            | fails               |
      | 2021-01-01;2021-01-20;2021-02-17 | passes              |
      | 2021-02-17;2021-01-01;2021-01-20 | passes              |
      | 2021-01-01;2021-03-01            | fails               |
      | 2021-01-01                       | passes              |
      | none                             | fails               |
      |                                  | is not recorded for |

  @recommendation @boundary @from_report
  Scenario Outline: The first update is due at the agreed frequency from the report
    A quarter of updates were overdue (P21-F-06). The Victims' Code has the victim updated at the
    agreed frequency throughout, so the wait from the report to the first update counts as a gap:
    reported late on 1 March, a first update on 8 March is 7 days, on 9 March 8.
    Given a case_file record "CF-1" with:
      | reported_at             | <reported>  |
      | victim_update_frequency | <frequency> |
      | victim_update_dates     | <dates>     |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-004

    Examples:
      | reported         | frequency | dates                            | outcome             |
      | 2021-03-01T23:30 | weekly    | 2021-03-08;2021-03-15            | passes              |
      | 2021-03-01T23:30 | weekly    | 2021-03-09;2021-03-15            | fails               |
      | 2021-01-04T10:00 | weekly    | 2021-06-01;2021-06-08;2021-06-15 | fails               |
      | 2021-03-01T09:00 |           | 2021-03-29;2021-04-20            | passes              |
      | 2021-03-01T09:00 |           | 2021-03-30;2021-04-20            | fails               |
      |                  | weekly    | 2021-03-08;2021-03-15            | is not recorded for |
      |                  | weekly    | 2021-03-08;2021-03-25            | fails               |

  @recommendation @boundary
  Scenario Outline: Victims are kept updated until the case closes, and telling them the outcome after closure counts
    Given a case_file record "CF-1" with:
      | victim_update_dates   | <dates>   |
      | last_victim_update_on | <last>    |
      | outcome_recorded_on   | <closed>  |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-026

    Examples:
      | dates                 | last       | closed     | outcome             |
      | 2021-07-20;2021-08-03 | 2021-08-03 | 2021-08-02 | passes              |
      | 2021-07-20;2021-08-02 | 2021-08-02 | 2021-08-02 | passes              |
      | 2021-06-20;2021-07-02 | 2021-07-02 | 2021-08-02 | passes              |
      | 2021-06-20;2021-07-01 | 2021-07-01 | 2021-08-02 | fails               |
      | 2021-06-20            |            | 2021-08-02 | is not recorded for |

  @recommendation @boundary
  Scenario Outline: A case reported less than 31 days before the assessment date, not yet updated, has kept nobody waiting too long
    Given a case_file record "CF-1" with:
      | reported_at         | <reported> |
      | victim_update_dates | none       |
      | outcome_recorded_on | <closed>   |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-026

    Examples:
      | reported         | closed     | outcome              |
      | 2022-03-01T09:00 |            | passes               |
      | 2022-02-28T09:00 |            | is not recorded for  |
      | 2021-06-01T09:00 | 2021-06-10 | is not recorded for  |

  @recommendation @boundary
  Scenario Outline: A case with no update yet passes while its first update is not yet due
    The first update is due at the agreed frequency from the report: 7, 14 or 31 days, or the pack's
    28 where none was agreed. Whether the case has closed is not asked.
    Given a case_file record "CF-1" with:
      | reported_at             | <reported>  |
      | victim_update_frequency | <frequency> |
      | victim_update_dates     | none        |
      | outcome_recorded_on     | <closed>    |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-004

    Examples:
      | reported         | frequency   | closed     | outcome |
      | 2022-03-25T09:00 | weekly      |            | passes  |
      | 2022-03-24T09:00 | weekly      |            | fails   |
      | 2022-03-18T09:00 | fortnightly |            | passes  |
      | 2022-03-17T09:00 | fortnightly |            | fails   |
      | 2022-03-01T09:00 | monthly     |            | passes  |
      | 2022-02-28T09:00 | monthly     |            | fails   |
      | 2022-03-04T09:00 |             |            | passes  |
      | 2022-03-03T09:00 |             |            | fails   |
      | 2022-03-20T09:00 |             | 2022-03-30 | passes  |

  @recommendation
  Scenario: A crime not investigated further is owed the decision, not updates
    Given these case_file records:
      | case_ref | reported_at      | victim_update_dates   | not_investigated_further |
      | CF-1     | 2021-03-01T09:00 | none                  | true                     |
      | CF-2     | 2021-03-01T09:00 | none                  | false                    |
      | CF-3     | 2021-03-01T09:00 | none                  |                          |
      | CF-4     | 2021-03-01T09:00 | 2021-03-02;2021-04-20 | true                     |
    When the assessment runs
    Then record CF-1 passes rule INV-004
    And record CF-2 fails rule INV-004
    And record CF-3 fails rule INV-004
    And record CF-4 fails rule INV-004

  @recommendation @boundary
  Scenario Outline: A crime not investigated further is measured to the decision, not to the later outcome date
    # Reported on 1 February 2021, last updated on 1 March, the outcome recorded on 30 June. Told of
    # the decision (INV-016), the victim is owed nothing more, so the 31 days run to the decision.
    Given a case_file record "CF-1" with:
      | reported_at                    | 2021-02-01T10:00 |
      | not_investigated_further       | true             |
      | decision_not_to_investigate_at | <decided>        |
      | victim_update_dates            | <dates>          |
      | last_victim_update_on          | <last>           |
      | outcome_recorded_on            | 2021-06-30       |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-026

    Examples:
      | decided          | dates                 | last       | outcome             |
      | 2021-04-01T10:00 | 2021-03-01            | 2021-03-01 | passes              |
      | 2021-04-02T10:00 | 2021-03-01            | 2021-03-01 | fails               |
      | 2021-04-02T10:00 | 2021-03-01;2021-04-06 | 2021-04-06 | passes              |
      | 2021-02-20T10:00 | none                  |            | passes              |
      | 2021-03-05T10:00 | none                  |            | is not recorded for |
      |                  | 2021-03-01            | 2021-03-01 | is not recorded for |

  @area_for_improvement @boundary
  Scenario Outline: Outcome codes are Home Office outcomes (1 to 22) and correct
    Given a case_file record "CF-1" with:
      | outcome_code         | <code>    |
      | outcome_code_correct | <correct> |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-012

    Examples:
      | code | correct | outcome              |
      | 1    | true    | passes               |
      | 22   | true    | passes               |
      | 23   | true    | fails                |
      | 0    | true    | fails                |
      | 16   | false   | fails                |
      | 16   |         | is not recorded for  |
      |      | true    | is not applicable to |

  @finding @boundary
  Scenario Outline: Victims are told within five working days that their crime will not be investigated further
    # A Saturday decision before the early May bank holiday (Monday 3 May 2021): its fifth working
    # day is Monday 10 May; told on the Saturday or Sunday before, the day counts as that Monday.
    Given a case_file record "CF-1" with:
      | not_investigated_further        | true             |
      | decision_not_to_investigate_at  | 2021-05-01T09:00 |
      | victim_told_not_investigated_at | <told>           |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-016

    Examples:
      | told             | outcome             |
      | 2021-05-01T09:00 | passes              |
      | 2021-05-06T09:00 | passes              |
      | 2021-05-06T09:01 | passes              |
      | 2021-05-09T12:00 | passes              |
      | 2021-05-10T23:59 | passes              |
      | 2021-05-11T00:00 | fails               |
      | 2021-05-01T08:59 | fails               |
      | 2021-04-30T17:00 | fails               |
      |                  | is not recorded for |

  @finding @boundary
  Scenario Outline: A victim not yet told that the crime will not be investigated further is not failed before the 5 working days run out
    # The same Saturday decision: Monday 10 May 2021 is its fifth working day.
    Given the assessment date is <assessed>
    And a case_file record "CF-1" with:
      | not_investigated_further       | true             |
      | decision_not_to_investigate_at | 2021-05-01T09:00 |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-016

    Examples:
      | assessed   | outcome             |
      | 2021-05-01 | passes              |
      | 2021-05-10 | passes              |
      | 2021-05-11 | is not recorded for |

  @finding @boundary
  Scenario Outline: A victim entitled to enhanced rights is told within one working day
    # A Friday decision before the early May bank holiday (Monday 3 May 2021): the next working day
    # is Tuesday 4 May; told over the weekend or on the Monday, the day counts as that Tuesday.
    Given a case_file record "CF-1" with:
      | not_investigated_further        | true             |
      | victim_enhanced_rights          | <enhanced>       |
      | decision_not_to_investigate_at  | 2021-04-30T15:00 |
      | victim_told_not_investigated_at | <told>           |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-027

    Examples:
      | enhanced | told             | outcome              |
      | true     | 2021-04-30T15:00 | passes               |
      | true     | 2021-05-03T12:00 | passes               |
      | true     | 2021-05-04T23:59 | passes               |
      | true     | 2021-05-05T00:00 | fails                |
      | true     | 2021-04-30T14:59 | fails                |
      | true     |                  | is not recorded for  |
      |          | 2021-05-01T10:00 | is not recorded for  |
      | false    | 2021-05-07T10:00 | is not applicable to |

  @finding @boundary
  Scenario Outline: A victim entitled to enhanced rights and not yet told is not failed before the working day runs out
    # The same Friday decision: Tuesday 4 May 2021 is the next working day.
    Given the assessment date is <assessed>
    And a case_file record "CF-1" with:
      | not_investigated_further       | true             |
      | victim_enhanced_rights         | true             |
      | decision_not_to_investigate_at | 2021-04-30T15:00 |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-027

    Examples:
      | assessed   | outcome             |
      | 2021-05-03 | passes              |
      | 2021-05-04 | passes              |
      | 2021-05-05 | is not recorded for |

  @finding @boundary
  Scenario Outline: An attestation counts only if it was reviewed in the year before the assessment
    Given the assessment date is 1 April 2022
    And an attestation record "ATT-1" with:
      | question         | digital_forensics_prioritisation |
      | answer           | yes                              |
      | evidence_ref     | DFU request reconciliation 2021  |
      | last_reviewed_on | <reviewed>                       |
    When the assessment runs
    Then record ATT-1 <outcome> rule INV-024

    Examples:
      | reviewed   | outcome             |
      | 2022-04-01 | passes              |
      | 2021-04-01 | passes              |
      | 2021-03-31 | fails               |
      | 2022-04-02 | fails               |
      |            | is not recorded for |

  @finding @boundary
  Scenario: A year is a calendar year: across 29 February it is 366 days
    Given the assessment date is 1 March 2020
    And these attestation records:
      | attestation_ref | question                         | answer | evidence_ref                    | last_reviewed_on |
      | ATT-IN          | digital_forensics_prioritisation | yes    | DFU request reconciliation 2019 | 2019-03-01       |
      | ATT-OUT         | digital_forensics_prioritisation | yes    | DFU request reconciliation 2019 | 2019-02-28       |
    When the assessment runs
    Then record ATT-IN passes rule INV-024
    And record ATT-OUT fails rule INV-024

  @finding
  Scenario: A victim who declines support services needs no referral
    Given these case_file records:
      | case_ref | victim_referred_to_victim_services | victim_declined_support_services |
      | CF-1     | true                               |                                  |
      | CF-2     | false                              | true                             |
      | CF-3     | false                              | false                            |
      | CF-4     |                                    |                                  |
    When the assessment runs
    Then rule INV-018 has 4 applicable, 2 compliant, 1 non-compliant and 1 not recorded records
    And rule INV-018 lists records CF-3, CF-4
    And the compliance rate of INV-018 is 50%

  @finding @boundary
  Scenario Outline: A victim not yet referred is not failed before the two working days run out
    # Reported on Friday 30 April 2021: Monday 3 May is a bank holiday, so the two working days are
    # Tuesday 4 and Wednesday 5 May. No referral yet, and no refusal.
    Given the assessment date is <assessed>
    And a case_file record "CF-1" with:
      | reported_at                        | 2021-04-30T10:00 |
      | victim_referred_to_victim_services | false            |
      | victim_declined_support_services   | false            |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-018

    Examples:
      | assessed   | outcome |
      | 2021-05-03 | passes  |
      | 2021-05-05 | passes  |
      | 2021-05-06 | fails   |

  @finding @boundary
  Scenario Outline: A victim is referred to victim services within two working days of the report
    # Reported on Friday 30 April 2021: Monday 3 May is a bank holiday, so the two working days are
    # Tuesday 4 and Wednesday 5 May.
    Given a case_file record "CF-1" with:
      | reported_at                        | 2021-04-30T10:00 |
      | victim_referred_to_victim_services | <referred>       |
      | victim_referred_at                 | <referred_at>    |
    When the assessment runs
    Then record CF-1 <outcome> rule INV-028

    Examples:
      | referred | referred_at      | outcome              |
      | true     | 2021-04-30T10:00 | passes               |
      | true     | 2021-05-03T09:00 | passes               |
      | true     | 2021-05-05T23:59 | passes               |
      | true     | 2021-05-06T00:00 | fails                |
      | true     | 2021-04-30T09:59 | fails                |
      | true     |                  | is not recorded for  |
      | false    |                  | is not applicable to |

  @finding
  Scenario: Only investigators in post are counted for PIP2 qualification
    Given these workforce_member records:
      """
      - {investigator_role: true, pip2_qualified: true}
      - {investigator_role: true, pip2_qualified: false}
      - {investigator_role: true, pip2_qualified: false, left_on: 2021-12-31}
      - {investigator_role: false}
      """
    When the assessment runs
    Then rule INV-021 has 2 applicable, 1 compliant, 1 non-compliant and 0 not recorded records
    And record workforce_member-3 is not applicable to rule INV-021
    And rule INV-021 lists records workforce_member-2

  @finding
  Scenario: A rule checked by an auditor, not from records, is reported as manual
    Given these case_file records:
      | case_ref | serious | supervised_effectively |
      | CF-1     | true    | true                   |
    When the assessment runs
    Then rule INV-050 is manual
    And rule INV-003 is met

  Scenario: A rule with no record it applies to is not assessed
    Given these case_file records:
      | case_ref | serious |
      | CF-1     | false   |
    When the assessment runs
    Then rule INV-001 is not assessed
    And rule INV-001 has no compliance rate
    And rule INV-003 is not assessed
    And record CF-1 is not applicable to rule INV-003

  Scenario Outline: An audit question that applies to some cases: yes passes, no fails, a blank is not recorded
    Given these case_file records:
      | case_ref | <applies_when> | <answer_field> |
      | YES      | true           | true           |
      | NO       | true           | false          |
      | BLANK    | true           |                |
      | ELSE     | false          | false          |
    When the assessment runs
    Then record YES passes rule <rule>
    And record NO fails rule <rule>
    And record BLANK is not recorded for rule <rule> because of its <answer_field>
    And record ELSE is not applicable to rule <rule>

    Examples:
      | rule    | applies_when                       | answer_field                             |
      | INV-006 | victim_personal_statement_relevant | victim_personal_statement_offered        |
      | INV-008 | victim_withdrew_support            | evidence_led_prosecution_considered      |
      | INV-023 | digital_forensics_requested        | digital_forensics_prioritised_by_process |

  Scenario Outline: An audit question every case answers: yes passes, no fails, a blank is not recorded
    Given these case_file records:
      | case_ref | <answer_field> |
      | YES      | true           |
      | NO       | false          |
      | BLANK    |                |
    When the assessment runs
    Then rule <rule> has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And rule <rule> lists records NO, BLANK

    Examples:
      | rule    | answer_field                       |
      | INV-005 | victim_needs_assessment            |
      | INV-014 | lines_of_enquiry_completed         |
      | INV-019 | victims_code_compliance_documented |
      | INV-025 | allocated_to_trained_staff         |

  @area_for_improvement
  Scenario: When a victim withdraws support, the file holds an auditable record of the decision and the reasons
    Given these case_file records:
      | case_ref | victim_withdrew_support | victim_decision_auditable_record | victim_withdrawal_reasons_recorded |
      | CF-1     | true                    | true                             | true                               |
      | CF-2     | true                    | false                            | true                               |
      | CF-3     | true                    | true                             |                                    |
      | CF-4     | false                   |                                  |                                    |
    When the assessment runs
    Then rule INV-007 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records
    And record CF-2 fails rule INV-007 because of its victim_decision_auditable_record
    And record CF-4 is not applicable to rule INV-007

  @area_for_improvement
  Scenario: Evidence-led prosecution is considered when the victim withdraws support and there is a suspect to prosecute
    Given these case_file records:
      | case_ref   | victim_withdrew_support | suspect_identified | evidence_led_prosecution_considered |
      | SUSPECT    | true                    | true               | false                               |
      | CONSIDERED | true                    | true               | true                                |
      | NO-SUSPECT | true                    | false              | false                               |
      | NOT-SAID   | true                    |                    | false                               |
    When the assessment runs
    Then record SUSPECT fails rule INV-008
    And record CONSIDERED passes rule INV-008
    And record NO-SUSPECT is not applicable to rule INV-008
    And record NOT-SAID fails rule INV-008

  @area_for_improvement
  Scenario: A supervisor reviews the outcome of every finalised crime
    Given these case_file records:
      | case_ref | outcome_code | outcome_supervisor_reviewed |
      | CF-1     | 1            | true                        |
      | CF-2     | 16           | false                       |
      | CF-3     |              | false                       |
    When the assessment runs
    Then rule INV-013 lists records CF-2
    And record CF-3 is not applicable to rule INV-013

  @finding
  Scenario: Crimes nobody attended still show investigation and supervision
    Given these case_file records:
      | case_ref | attended | lines_of_enquiry_completed | supervised_effectively |
      | CF-1     | false    | true                       | true                   |
      | CF-2     | false    | false                      | true                   |
      | CF-3     | true     | false                      | false                  |
    When the assessment runs
    Then rule INV-017 lists records CF-2
    And record CF-3 is not applicable to rule INV-017

  @finding
  Scenario: A community resolution needs the victim's views first, unless there is no victim
    The views are sought before the resolution is given and recorded, as for cautions: the report
    sets no time for the recording, so views asked for first and written up the next day count.
    Given these out_of_court_disposal records:
      | disposal_ref | disposal_type        | victim_identified | given_at         | victim_views_sought_at | victim_views_recorded_at | offender_meets_national_criteria |
      | CR-1         | community_resolution | true              | 2021-05-10T16:00 |                        | 2021-05-10T15:30         | true                             |
      | CR-2         | community_resolution | true              | 2021-05-10T16:00 | 2021-05-11T09:30       | 2021-05-11T10:00         | false                            |
      | CR-3         | community_resolution | false             | 2021-05-10T16:00 |                        |                          |                                  |
      | CR-4         | community_resolution | true              | 2021-05-10T16:00 | 2021-05-10T11:00       | 2021-05-11T10:00         | true                             |
    When the assessment runs
    Then rule INV-010 lists records CR-2
    And record CR-2 fails rule INV-010
    And record CR-4 passes rule INV-010
    And record CR-3 is not applicable to rule INV-010
    And rule INV-011 lists records CR-2, CR-3
    And record CR-3 is not recorded for rule INV-011

  @finding
  Scenario: Staff who interview vulnerable victims are trained in Achieving Best Evidence
    Given these workforce_member records:
      | person_ref | abe_interviewer_role | abe_trained | left_on    |
      | P-1        | true                 | true        |            |
      | P-2        | true                 | false       |            |
      | P-3        | true                 | false       | 2021-06-30 |
      | P-4        | false                |             |            |
    When the assessment runs
    Then rule INV-022 lists records P-2
    And rule INV-022 has 2 applicable, 1 compliant, 1 non-compliant and 0 not recorded records

  @finding @boundary
  Scenario Outline: A practice the force attests to counts only with a yes, evidence, and a review in the last year
    Given these attestation records:
      | attestation_ref | question   | scope       | answer | evidence_ref     | last_reviewed_on |
      | YES             | <question> | whole force | yes    | Board minutes 21 | 2021-04-01       |
      | NO              | <question> | whole force | no     | Board minutes 21 | 2021-10-01       |
      | NO-EVIDENCE     | <question> | whole force | yes    |                  | 2021-10-01       |
      | STALE           | <question> | whole force | yes    | Board minutes 20 | 2021-03-31       |
      | UNDATED         | <question> | whole force | yes    | Board minutes 21 |                  |
    When the assessment runs
    Then rule <rule> has 5 applicable, 1 compliant, 3 non-compliant and 1 not recorded records
    And rule <rule> lists records NO, NO-EVIDENCE, STALE and UNDATED

    Examples:
      | rule    | question                         |
      | INV-024 | digital_forensics_prioritisation |
