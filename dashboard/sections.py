"""Which indicators each theme page charts, grouped into sections (label key, indicator ids).

Everything else on a theme is still in the page's full table and its "any indicator" chart.
"""

EMPLOYMENT = (
    ("rates", ("emp_destination_rate", "emp_initial_rate")),
    ("graduates_jobs", ("oth_graduates", "emp_jobs_offered", "emp_jobs_per_graduate", "emp_poverty_county_grads_employed")),
    ("fairs", ("emp_job_fairs", "emp_employer_sessions", "emp_job_fair_employers", "emp_job_fair_positions")),
    ("order_classes", ("emp_order_classes", "emp_order_class_graduates", "emp_hired_by_partners", "emp_student_startups")),
    ("internships", ("emp_interns_at_partners", "emp_students_on_internship", "emp_tech_class_interns", "emp_tech_class_positions")),
)

TRAINING = (
    ("social_training", ("trn_social_training_person_times", "trn_social_training_persons")),
    ("certification", ("trn_certification_person_times", "trn_appraisal_persons", "trn_appraisal_high_skill_share", "trn_1x_certificate_pilots")),
    ("graduate_certificates", ("trn_grad_senior_or_above_share", "trn_grad_technician_cert_share", "trn_ahk_certificates")),
    ("training_capacity", ("trn_training_bases_approved", "trn_teacher_training_classes_national", "trn_training_base_funding", "trn_training_revenue")),
    ("partnerships", (
        "oth_partner_enterprises", "oth_new_partner_enterprises", "oth_industry_colleges",
        "oth_industry_education_platforms", "oth_part_time_enterprise_teachers", "oth_strategic_agreements",
    )),
)

COMPETITION_HOSTING = ("comp_hosted_events", "comp_hosted_schools", "comp_hosted_competitors")

PARTY_BUILDING = (
    ("study_sessions", ("pb_central_group_sessions", "pb_committee_study_sessions", "pb_study_seminars", "pb_party_affairs_meetings")),
    ("lectures", ("pb_history_lectures", "pb_history_lecture_audience", "pb_plenum_lectures", "pb_practical_deeds")),
    ("model_branches", (
        "pb_municipal_model_branches", "pb_provincial_benchmark_departments", "pb_municipal_benchmark_departments",
        "pb_municipal_advanced_orgs", "pb_school_exemplary_branches", "pb_brands",
    )),
    ("member_development", ("pb_new_probationary_members", "pb_new_activists", "pb_party_school_trainees", "pb_student_applicant_share")),
    ("branches", ("pb_specialty_group_branches", "pb_benchmarking_orgs", "pb_branch_elections", "pb_double_leader_secretary_rate")),
    ("ideology", ("pb_ideopolitical_assessment_rank", "pb_course_ideopolitics_courses_built", "pb_red_education_bases", "pb_warning_education_meetings")),
)
