@protecting_vulnerable_people
Feature: Protecting vulnerable people
  The inspectorate asked West Mercia Police to consider Domestic Violence Protection Notices and
  Orders in all appropriate cases, to complete and submit DASH risk assessments accurately and
  promptly, to refer high-risk cases to MARAC, to tell schools when children are present, and to
  understand why so many domestic abuse crimes close because the victim does not support action.
  Protection notices are given to adults: a case needs an identified suspect aged 18 or over, and
  notices and orders under the Domestic Abuse Act 2021 count beside DVPNs and DVPOs.

  Background:
    Given the PEEL pack
    And the assessment date is 2022-04-01

  @area_for_improvement
  Scenario Outline: Protection notices are considered when a domestic abuse victim withdraws support
    Given these case_file records:
      | case_ref | domestic_abuse | victim_withdrew_support | suspect_identified | suspect_age | dvpn_considered |
      | DA-1     | <da>           | <withdrew>              | true               | 35          | <considered>    |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-001

    Examples:
      | da    | withdrew | considered | outcome              |
      | true  | true     | true       | passes               |
      | true  | true     | false      | fails                |
      | true  | true     |            | is not recorded for  |
      | true  |          | true       | is not recorded for  |
      | true  | false    | false      | is not applicable to |
      | false | true     | false      | is not applicable to |

  @finding
  Scenario: Who a notice can be given to, and what counts as considering one
    Given these case_file records:
      | case_ref   | domestic_abuse | victim_withdrew_support | suspect_identified | suspect_age | dvpn_considered | dvpn_issued | dapn_considered | dvpn_appropriate | protection_notice_not_appropriate_reason |
      | NO-SUSPECT | true           | true                    | false              |             | false           |             |                 |                  |                                          |
      | UNDER-18   | true           | true                    | true               | 16          | false           |             |                 |                  |                                          |
      | ISSUED     | true           | true                    | true               | 40          |                 | true        |                 |                  |                                          |
      | DAPN       | true           | true                    | true               | 29          | false           |             | true            |                  |                                          |
      | JUDGED-NOT | true           | true                    | true               | 52          | false           |             |                 | false            | Suspect remanded in custody              |
      | NO-REASON  | true           | true                    | true               | 52          | false           |             |                 | false            |                                          |
    When the assessment runs
    Then record NO-SUSPECT is not applicable to rule PVP-001
    And record UNDER-18 is not applicable to rule PVP-001
    And record ISSUED passes rule PVP-001
    And record DAPN passes rule PVP-001
    And record JUDGED-NOT is not applicable to rule PVP-001
    And record NO-REASON fails rule PVP-001

  @area_for_improvement @from_report
  Scenario: Notices considered in only 1 of 12 cases where they may have been appropriate
    Given 1 case_file record with:
      """
      domestic_abuse: true
      dvpn_appropriate: true
      dvpn_considered: true
      """
    And 11 case_file records with:
      """
      domestic_abuse: true
      dvpn_appropriate: true
      dvpn_considered: false
      """
    When the assessment runs
    Then rule PVP-002 is not met
    And rule PVP-002 has 12 applicable, 1 compliant, 11 non-compliant and 0 not recorded records
    And the compliance rate of PVP-002 is 8.3%
    And rule PVP-002 needs 11 more compliant records

  @area_for_improvement
  Scenario: Wherever a notice may be appropriate, a notice or order of either Act counts as considered
    The area for improvement asks that orders such as DVPNs and DVPOs be considered in all
    appropriate cases; a Domestic Abuse Protection Notice (Domestic Abuse Act 2021) is such an order,
    and a notice that was issued was considered.
    Given these case_file records:
      | case_ref | domestic_abuse | dvpn_appropriate | dvpn_considered | dvpn_issued | dapn_considered |
      | DAPN     | true           | true             | false           |             | true            |
      | ISSUED   | true           | true             |                 | true        |                 |
      | NEITHER  | true           | true             | false           |             | false           |
    When the assessment runs
    Then record DAPN passes rule PVP-002
    And record ISSUED passes rule PVP-002
    And record NEITHER fails rule PVP-002

  @area_for_improvement @boundary
  Scenario Outline: A DASH risk assessment is fully completed and submitted within 24 hours of attendance
    Given a case_file record "DA-1" with:
      | domestic_abuse       | true             |
      | attended             | true             |
      | attended_at          | 2021-02-01T21:10 |
      | dash_completed       | true             |
      | dash_fully_completed | <fully>          |
      | dash_submitted_at    | <submitted>      |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-052

    Examples:
      | fully | submitted           | outcome             |
      | true  | 2021-02-02T09:00    | passes              |
      | true  | 2021-02-02T21:10    | passes              |
      | true  | 2021-02-02T21:10:01 | fails               |
      | true  | 2021-02-02T21:11    | fails               |
      | true  | 2021-02-01T21:10    | passes              |
      | true  | 2021-02-01T21:09    | fails               |
      | false | 2021-02-02T09:00    | fails               |
      | true  |                     | is not recorded for |

  @area_for_improvement @boundary
  Scenario Outline: A DASH not yet submitted is not failed before its 24 hours run out
    # Attended at 21:10 on 1 February 2021: the 24 hours end at 21:10 on 2 February. The assessment
    # date has no time of day, so on 2 February the DASH is not yet due.
    Given the assessment date is <assessed>
    And a case_file record "DA-1" with:
      | domestic_abuse | true             |
      | attended       | true             |
      | attended_at    | 2021-02-01T21:10 |
      | dash_completed | false            |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-052

    Examples:
      | assessed   | outcome |
      | 2021-02-01 | passes  |
      | 2021-02-02 | passes  |
      | 2021-02-03 | fails   |

  @area_for_improvement @from_report
  Scenario: A DASH form submitted promptly but with questions left blank is not accurate
    Given "the DASH rule" is rule PVP-052
    And a case_file record "DA-7" with:
      """
      domestic_abuse: true
      attended: true
      attended_at: 2021-02-03T18:40:00
      dash_completed: true
      dash_fully_completed: false
      dash_submitted_at: 2021-02-03T20:00:00
      """
    When the assessment runs
    Then the DASH rule is not met for that record
    And record DA-7 fails the DASH rule because of its dash_fully_completed

  @area_for_improvement
  Scenario: A domestic abuse case nobody attended is outside the DASH timing rule
    Given a case_file record "DA-9" with:
      | domestic_abuse | true  |
      | attended       | false |
    When the assessment runs
    Then record DA-9 is not applicable to rule PVP-052
    And rule PVP-052 is not assessed

  @finding
  Scenario Outline: High-risk domestic abuse cases are referred to MARAC
    Given a case_file record "DA-1" with:
      | domestic_abuse  | true       |
      | dash_risk_level | <risk>     |
      | marac_referred  | <referred> |
    When the assessment runs
    Then rule PVP-054 is <outcome> for record DA-1

    Examples:
      | risk     | referred | outcome        |
      | high     | true     | met            |
      | high     | false    | not met        |
      | high     |          | not recorded   |
      |          | false    | not recorded   |
      | medium   | false    | not applicable |
      | standard | false    | not applicable |

  @finding @boundary
  Scenario Outline: Schools are told by 09:00 on the next working day when children were present (Operation Encompass)
    # The scheme tells the school before the next school day starts; the pack takes 09:00. Attended on
    # Friday 30 April 2021, before the early May bank holiday (Monday 3 May), the next working day is
    # Tuesday 4 May: told over the weekend or on the bank holiday, before the Tuesday starts; told on
    # the Tuesday, by 09:00. Attended on Thursday 10 June, the next working day is the Friday; told
    # later on the Thursday, in time at any hour. Attended at 07:00 on Tuesday 15 June, told at 15:00
    # the same day: before the next school day.
    Given a case_file record "DA-1" with:
      | domestic_abuse     | true          |
      | children_present   | <children>    |
      | attended_at        | <attended>    |
      | school_notified    | <notified>    |
      | school_notified_at | <notified_at> |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-003

    Examples:
      | children | attended         | notified | notified_at      | outcome              |
      | true     | 2021-04-30T22:30 | true     | 2021-05-01T09:00 | passes               |
      | true     | 2021-04-30T22:30 | true     | 2021-05-03T10:00 | passes               |
      | true     | 2021-04-30T22:30 | true     | 2021-05-04T08:30 | passes               |
      | true     | 2021-04-30T22:30 | true     | 2021-05-04T09:00 | passes               |
      | true     | 2021-04-30T22:30 | true     | 2021-05-04T09:01 | fails                |
      | true     | 2021-04-30T22:30 | true     | 2021-05-04T15:00 | fails                |
      | true     | 2021-04-30T22:30 | true     | 2021-04-30T22:29 | fails                |
      | true     | 2021-06-10T22:30 | true     | 2021-06-10T23:15 | passes               |
      | true     | 2021-06-10T22:30 | true     | 2021-06-11T08:45 | passes               |
      | true     | 2021-06-10T22:30 | true     | 2021-06-11T09:01 | fails                |
      | true     | 2021-06-10T22:30 | true     | 2021-06-12T09:00 | fails                |
      | true     | 2021-06-15T07:00 | true     | 2021-06-15T15:00 | passes               |
      | true     | 2021-06-10T22:30 | false    |                  | fails                |
      | true     | 2021-06-10T22:30 | true     |                  | is not recorded for  |
      | false    | 2021-06-10T22:30 | false    |                  | is not applicable to |

  @finding @boundary
  Scenario Outline: A school not yet told is not failed before the next working day
    # Attended on Friday 30 April 2021, before the early May bank holiday: the school is due to be told
    # by 09:00 on Tuesday 4 May. The assessment date has no time of day, so on 4 May it is not yet due.
    Given the assessment date is <assessed>
    And a case_file record "DA-1" with:
      | domestic_abuse   | true             |
      | children_present | true             |
      | attended_at      | 2021-04-30T22:30 |
      | school_notified  | false            |
    When the assessment runs
    Then record DA-1 <outcome> rule PVP-003

    Examples:
      | assessed   | outcome |
      | 2021-05-01 | passes  |
      | 2021-05-04 | passes  |
      | 2021-05-05 | fails   |

  @area_for_improvement @aggregate @boundary
  Scenario Outline: Outcome 16 cases show the victim's reasons and the evidence-led decision; no cap on their share
    EF17 names no share of outcome 16 the force should stay under, so the pack sets none: a case
    closed because the victim withdrew fails only when its file lacks the reasons or the decision.
    Given <other> case_file records with:
      """
      domestic_abuse: true
      outcome_code: 1
      """
    And <documented> case_file records with:
      """
      domestic_abuse: true
      outcome_code: 16
      victim_withdrawal_reasons_recorded: true
      evidence_led_prosecution_considered: true
      """
    And <undocumented> case_file records with:
      """
      domestic_abuse: true
      outcome_code: 16
      victim_withdrawal_reasons_recorded: false
      evidence_led_prosecution_considered: true
      """
    When the assessment runs
    Then rule PVP-050 is <status>
    And rule PVP-050 has <applicable> applicable, <documented> compliant, <undocumented> non-compliant and 0 not recorded records

    Examples:
      | other | documented | undocumented | applicable | status  |
      | 2     | 8          | 0            | 8          | met     |
      | 6     | 3          | 1            | 4          | not met |
      | 10    | 0          | 0            | 0          | not assessed |

  @finding @aggregate @boundary
  Scenario: Body-worn video in 9 of 10 attended domestic abuse incidents meets the 90% standard
    Given 9 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: true
      """
    And a case_file record "DA-NO-BWV" with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: false
      """
    When the assessment runs
    Then rule PVP-056 is met
    And the compliance rate of PVP-056 is 90%
    And rule PVP-056 lists records DA-NO-BWV

  @finding @aggregate @boundary
  Scenario: Body-worn video in 8 of 10 attended domestic abuse incidents falls short of 90%
    Given 8 case_file records with:
      """
      domestic_abuse: true
      attended: true
      body_worn_video_used: true
      """
    And these case_file records:
      | case_ref | domestic_abuse | attended | body_worn_video_used |
      | DA-11    | true           | true     | false                |
      | DA-12    | true           | true     |                      |
    When the assessment runs
    Then rule PVP-056 is not met
    And rule PVP-056 has 10 applicable, 8 compliant, 1 non-compliant and 1 not recorded records
    And rule PVP-056 needs 1 more compliant record
    And record DA-12 is not recorded for rule PVP-056 because of its body_worn_video_used

  @finding
  Scenario: 'No arrest' is a recorded answer; a blank is not
    Given these case_file records:
      | case_ref | domestic_abuse | arrest_made |
      | DA-1     | true           | true        |
      | DA-2     | true           | false       |
      | DA-3     | true           |             |
      | DA-4     | false          |             |
    When the assessment runs
    Then record DA-1 passes rule PVP-057
    And record DA-2 passes rule PVP-057
    And record DA-3 fails rule PVP-057
    And record DA-4 is not applicable to rule PVP-057

  @area_for_improvement
  Scenario: A supervisor reviews every completed DASH, and the rule says which were missed
    Given these case_file records:
      | case_ref | domestic_abuse | dash_completed | dash_supervisor_reviewed |
      | DA-1     | true           | true           | true                     |
      | DA-2     | true           | true           | false                    |
      | DA-3     | true           | true           |                          |
      | DA-4     | true           | false          |                          |
    When the assessment runs
    Then rule PVP-053 is not met
    And rule PVP-053 lists records DA-2 and DA-3
    And rule PVP-053 has 3 applicable, 1 compliant, 1 non-compliant and 1 not recorded records

  @area_for_improvement
  Scenario: The whole pack on one well-run domestic abuse case
    Given a case_file record "DA-GOOD" with:
      """
      crime_type: violence_with_injury
      serious: true
      domestic_abuse: true
      victim_withdrew_support: true
      suspect_identified: true
      suspect_age: 38
      dvpn_appropriate: true
      dvpn_considered: true
      attended: true
      attended_at: 2021-02-01T21:10:00
      dash_completed: true
      dash_fully_completed: true
      dash_submitted_at: 2021-02-02T09:00:00
      dash_risk_level: high
      dash_supervisor_reviewed: true
      marac_referred: true
      children_present: false
      body_worn_video_used: true
      arrest_made: true
      """
    When the assessment runs
    Then rule PVP-001 is met
    And rule PVP-002 is met
    And rule PVP-003 is not assessed
    And rule PVP-052 is met
    And rule PVP-053 is met
    And rule PVP-054 is met
    And rule PVP-056 is met
    And rule PVP-057 is met

  @boundary
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
      | rule    | question                             |
      | PVP-004 | multi_agency_vulnerability_data_plan |
      | PVP-051 | domestic_abuse_outcome_16_analysis   |
      | PVP-058 | domestic_abuse_arrests_reportable    |

  Scenario Outline: A rule an auditor answers is reported as manual, never computed
    Given these attestation records:
      | attestation_ref | question       | answer |
      | ATT-1           | <any_question> | yes    |
    When the assessment runs
    Then rule <rule> is manual

    Examples:
      | rule    | any_question                      |
      | PVP-059 | domestic_abuse_arrests_reportable |

  @area_for_improvement
  Scenario Outline: The risk to a vulnerable victim is re-assessed while they wait for officers
    Given an incident record "INC-1" with:
      | vulnerable_victim             | <vulnerable> |
      | domestic_abuse                | <da>         |
      | grade                         | <grade>      |
      | attended                      | <attended>   |
      | attendance_delayed            | <delayed>    |
      | risk_reassessed_while_waiting | <reassessed> |
    When the assessment runs
    Then rule PVP-055 is <outcome> for record INC-1

    Examples:
      | vulnerable | da    | grade                | attended | delayed | reassessed | outcome        |
      | true       | false | priority             | true     | true    | true       | met            |
      | false      | true  | priority             | true     | true    | false      | not met        |
      | true       | false | priority             | false    | false   | false      | not met        |
      | true       | false | priority             | true     | true    |            | not recorded   |
      | true       | false | priority             | true     | false   | false      | not applicable |
      | true       | false | telephone_resolution | false    | false   | false      | not applicable |
      | false      | false | priority             | true     | true    | false      | not applicable |

  @area_for_improvement @boundary
  Scenario Outline: A vulnerable victim whose wait has not yet run past its time is not yet owed a re-assessment
    # Due by midnight at the start of 5 September 2021, not yet attended nor re-assessed. The assessment
    # date has no time of day: on 5 September the wait is not yet late, on 6 September it is.
    Given the assessment date is <assessed>
    And an incident record "INC-1" with:
      | vulnerable_victim             | true             |
      | grade                         | priority         |
      | attended                      | false            |
      | attendance_delayed            | false            |
      | attendance_due_by             | 2021-09-05T00:00 |
      | risk_reassessed_while_waiting | false            |
    When the assessment runs
    Then record INC-1 <outcome> rule PVP-055

    Examples:
      | assessed   | outcome              |
      | 2021-09-05 | is not applicable to |
      | 2021-09-06 | fails                |
